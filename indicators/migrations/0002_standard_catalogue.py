"""Install the standard indicator catalogue of docs/FORMATS.md."""

from django.db import migrations

# code, kind, group, Vietnamese name, English name, numerator label, denominator label
CATALOGUE = [
    ("LAN", "yes_no", "infrastructure",
     "Có mạng nội bộ (LAN)", "Has a local area network", "", ""),
    ("FIBRE", "yes_no", "infrastructure",
     "Có kết nối Internet cáp quang", "Has fibre internet", "", ""),
    ("SPECIALIZED_NETWORK", "yes_no", "infrastructure",
     "Kết nối và sử dụng mạng truyền số liệu chuyên dùng của các cơ quan Đảng và Nhà nước",
     "Connected to and uses the specialized data network of Party and State agencies", "", ""),
    ("WEB_PORTAL", "yes_no", "services",
     "Cổng/trang thông tin điện tử hoạt động ổn định", "Web portal/site operates stably", "", ""),
    ("ONE_STOP_SHOP", "yes_no", "services",
     "Triển khai hệ thống một cửa điện tử",
     "Runs the electronic one-stop-shop for administrative procedures", "", ""),
    ("DOC_MANAGEMENT", "yes_no", "internal",
     "Sử dụng phần mềm quản lý văn bản và điều hành",
     "Runs document-management and operation software", "", ""),
    ("DIGITAL_SIGNATURE", "yes_no", "internal",
     "Được cấp và sử dụng chữ ký số chuyên dùng",
     "Has been issued, and uses, specialized digital-signature certificates", "", ""),
    ("OFFICIAL_EMAIL", "ratio", "internal",
     "Cán bộ, công chức có hộp thư điện tử công vụ",
     "Officials with an official e-mail account",
     "Số cán bộ có hộp thư công vụ", "Tổng số cán bộ, công chức"),
    ("E_DOCUMENTS", "ratio", "internal",
     "Văn bản đến, văn bản đi được xử lý trên phần mềm",
     "Incoming and outgoing documents handled in the software",
     "Số văn bản xử lý trên phần mềm", "Tổng số văn bản đến, đi"),
    ("ONLINE_MEETINGS", "ratio", "internal",
     "Cuộc họp được tổ chức trực tuyến", "Meetings held online",
     "Số cuộc họp trực tuyến", "Tổng số cuộc họp"),
    ("PUBLIC_SERVICES_L3", "ratio", "services",
     "Dịch vụ công trực tuyến mức độ 3", "Online public services at level 3",
     "Số dịch vụ công mức độ 3", "Tổng số thủ tục hành chính"),
    ("PUBLIC_SERVICES_L4", "ratio", "services",
     "Dịch vụ công trực tuyến mức độ 4", "Online public services at level 4",
     "Số dịch vụ công mức độ 4", "Tổng số thủ tục hành chính"),
    ("PUBLIC_SERVICES_FULL", "ratio", "services",
     "Dịch vụ công trực tuyến toàn trình (Nghị định 42/2022)",
     "Full-online public services (Decree 42/2022)",
     "Số dịch vụ công toàn trình", "Tổng số thủ tục hành chính"),
    ("PUBLIC_SERVICES_PARTIAL", "ratio", "services",
     "Dịch vụ công trực tuyến một phần (Nghị định 42/2022)",
     "Partial-online public services (Decree 42/2022)",
     "Số dịch vụ công một phần", "Tổng số thủ tục hành chính"),
]


def install(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for position, (code, kind, group, name_vi, name_en, num, den) in enumerate(CATALOGUE, 1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "group": group,
                "name_vi": name_vi,
                "name_en": name_en,
                "numerator_label": num,
                "denominator_label": den,
                "position": position * 10,
            },
        )


def uninstall(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
