"""Fill the definitions (dữ liệu đặc tả) of the standard catalogue's 14 indicators.

Only blank texts are filled: a text an admin has already written is kept. The legal references
name the documents by number and subject only where the document is certain; otherwise they
cite the national programme in general.
"""

from django.db import migrations

# How the figure is computed, by kind: the progress rules of docs/FORMATS.md in words.
FORMULA = {
    "yes_no": (
        "Tỉ lệ (%) = (Số đơn vị trong phạm vi trả lời “có” / Tổng số đơn vị trong phạm vi "
        "đang hoạt động trong năm) × 100. Đơn vị chưa báo cáo được tính là chưa có. Chỉ tiêu "
        "giao theo số lượng thì tính số đơn vị trả lời “có”.",
        "Share (%) = (agencies in scope answering “yes” / all agencies in scope active in the "
        "year) × 100. An agency that has not reported counts as “not confirmed”. A target set "
        "as a number counts the agencies answering “yes”.",
    ),
    "ratio": (
        "Tỉ lệ (%) = (Tổng tử số của các đơn vị trong phạm vi đã báo cáo / Tổng mẫu số của các "
        "đơn vị đó) × 100. Chỉ tiêu giao theo số lượng thì lấy tổng tử số.",
        "Share (%) = (sum of the numerators reported by the agencies in scope / sum of their "
        "denominators) × 100. A target set as a number takes the sum of the numerators.",
    ),
}
YES_NO_DENOMINATOR = (
    "Tổng số đơn vị thuộc phạm vi của chỉ tiêu (theo cấp: UBND tỉnh; sở, ban, ngành tỉnh; UBND "
    "cấp huyện; UBND cấp xã) đang hoạt động trong năm kế hoạch.",
    "All agencies within the target's scope (by tier: Provincial People's Committee; provincial "
    "departments; district and commune People's Committees) active in the plan's year.",
)
NATIONAL_PROGRAMME = (
    "Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ thông tin "
    "trong hoạt động của cơ quan nhà nước; Chương trình quốc gia về ứng dụng công nghệ thông tin "
    "trong hoạt động của cơ quan nhà nước giai đoạn 2016–2020 (Quyết định số 1819/QĐ-TTg ngày "
    "26/10/2015 của Thủ tướng Chính phủ); các Nghị quyết của Chính phủ về Chính phủ điện tử "
    "(Nghị quyết số 36a/NQ-CP ngày 14/10/2015, Nghị quyết số 17/NQ-CP ngày 07/3/2019)",
    "Government Decree 64/2007/ND-CP of 10 April 2007 on IT application in the operations of "
    "state agencies; the national programme on IT application in state agencies for 2016–2020 "
    "(Prime Minister's Decision 1819/QD-TTg of 26 October 2015); the Government's resolutions "
    "on e-government (Resolution 36a/NQ-CP of 14 October 2015, Resolution 17/NQ-CP of "
    "7 March 2019)",
)
AGENCY_REPORTS = (
    "Báo cáo định kỳ của các cơ quan, đơn vị trong phạm vi (sở, ban, ngành tỉnh; UBND cấp "
    "huyện, cấp xã) về tình hình ứng dụng công nghệ thông tin, tổng hợp qua Sở Thông tin và "
    "Truyền thông.",
    "Periodic reports of the agencies in scope (provincial departments; district and commune "
    "People's Committees) on IT application, compiled by the Department of Information and "
    "Communications.",
)
SERVICES_SOURCE = (
    "Danh mục thủ tục hành chính và dịch vụ công trực tuyến được công bố, số liệu trên Cổng "
    "Dịch vụ công và Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh; báo cáo của "
    "các cơ quan, đơn vị.",
    "The published lists of administrative procedures and online public services, the figures "
    "of the province's public service portal and administrative procedure information system; "
    "the agencies' reports.",
)
L34_BASIS = (
    "Nghị định số 43/2011/NĐ-CP ngày 13/6/2011 của Chính phủ quy định về việc cung cấp thông "
    "tin và dịch vụ công trực tuyến trên trang thông tin điện tử hoặc cổng thông tin điện tử "
    "của cơ quan nhà nước (phân mức độ 1–4; đã được thay thế bởi Nghị định số 42/2022/NĐ-CP); "
    "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính "
    "trên môi trường điện tử; ",
    "Government Decree 43/2011/ND-CP of 13 June 2011 on providing information and online public "
    "services on state agencies' websites and portals (levels 1–4; replaced by Decree "
    "42/2022/ND-CP); Government Decree 45/2020/ND-CP of 8 April 2020 on carrying out "
    "administrative procedures electronically; ",
)
DECREE_42_BASIS = (
    "Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ quy định về việc cung cấp thông "
    "tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng (phân loại dịch "
    "vụ công trực tuyến toàn trình và một phần); Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của "
    "Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử.",
    "Government Decree 42/2022/ND-CP of 24 June 2022 on state agencies' provision of "
    "information and online public services (full-online and partly online services); "
    "Government Decree 45/2020/ND-CP of 8 April 2020 on carrying out administrative procedures "
    "electronically.",
)
ALL_PROCEDURES = (
    "Tổng số thủ tục hành chính thuộc thẩm quyền giải quyết của các đơn vị trong phạm vi, theo "
    "danh mục đã được công bố.",
    "All administrative procedures the agencies in scope are competent to handle, as published.",
)


def _basis(specific, general=NATIONAL_PROGRAMME):
    """Return the legal basis in both languages: the specific documents, then the programme."""
    return (specific[0] + general[0] + ".", specific[1] + general[1] + ".")


# code: concept, what counts as "yes" or the numerator, the denominator (ratio only; yes/no
# indicators share YES_NO_DENOMINATOR), legal basis, source; each a (Vietnamese, English) pair.
DEFINITIONS = {
    "LAN": {
        "concept": (
            "Mạng nội bộ (mạng LAN) là mạng máy tính kết nối các máy tính và thiết bị trong trụ "
            "sở của cơ quan, dùng chung tài nguyên và kết nối ra Internet hoặc mạng diện rộng.",
            "A local area network (LAN) connects the computers and devices in an agency's "
            "premises, sharing resources and linking them to the internet or a wide-area "
            "network.",
        ),
        "numerator": (
            "Trả lời “có” khi trụ sở của đơn vị có mạng LAN đang hoạt động, kết nối các máy "
            "tính làm việc của cán bộ, công chức.",
            "“Yes” when the agency's premises have a working LAN connecting its officials' "
            "work computers.",
        ),
        "legal_basis": _basis(("", "")),
        "source": AGENCY_REPORTS,
    },
    "FIBRE": {
        "concept": (
            "Kết nối Internet băng rộng qua đường truyền cáp quang đến trụ sở của cơ quan.",
            "A broadband internet connection over optical fibre to the agency's premises.",
        ),
        "numerator": (
            "Trả lời “có” khi trụ sở của đơn vị có đường truyền Internet cáp quang đang sử "
            "dụng (không tính kết nối qua ADSL hay mạng di động).",
            "“Yes” when the agency's premises have a fibre internet line in use (ADSL or "
            "mobile connections do not count).",
        ),
        "legal_basis": _basis(("", "")),
        "source": AGENCY_REPORTS,
    },
    "SPECIALIZED_NETWORK": {
        "concept": (
            "Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước là mạng truyền dẫn "
            "riêng, bảo mật, dùng để kết nối và truyền dữ liệu giữa các cơ quan Đảng, Nhà nước.",
            "The specialised data network of Party and State agencies is a separate, secured "
            "transmission network for connecting those agencies and exchanging data between "
            "them.",
        ),
        "numerator": (
            "Trả lời “có” khi đơn vị đã được kết nối với mạng truyền số liệu chuyên dùng và có "
            "sử dụng mạng này cho các ứng dụng dùng chung (quản lý văn bản, thư điện tử, họp "
            "trực tuyến…); chỉ có điểm kết nối mà không sử dụng thì trả lời “không”.",
            "“Yes” when the agency is connected to the specialised data network and uses it for "
            "shared applications (document management, e-mail, online meetings…); a connection "
            "point that is not used is a “no”.",
        ),
        "legal_basis": _basis(
            (
                "Các văn bản của Bộ Thông tin và Truyền thông quy định về quản lý, vận hành, "
                "kết nối, sử dụng và bảo đảm an toàn thông tin trên mạng truyền số liệu chuyên "
                "dùng của các cơ quan Đảng, Nhà nước (như Thông tư số 27/2017/TT-BTTTT); ",
                "The Ministry of Information and Communications' rules on managing, operating, "
                "connecting to, using and securing the specialised data network of Party and "
                "State agencies (such as Circular 27/2017/TT-BTTTT); ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "WEB_PORTAL": {
        "concept": (
            "Cổng/trang thông tin điện tử của cơ quan nhà nước là nơi cung cấp thông tin và "
            "dịch vụ công trực tuyến của cơ quan trên môi trường mạng.",
            "A state agency's web portal or site is where it provides its information and "
            "online public services on the internet.",
        ),
        "numerator": (
            "Trả lời “có” khi đơn vị có cổng/trang thông tin điện tử hoạt động ổn định trong "
            "năm, cung cấp và cập nhật thông tin theo quy định.",
            "“Yes” when the agency's portal or site ran stably through the year, publishing and "
            "updating the information required.",
        ),
        "legal_basis": _basis(
            (
                "Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ quy định về việc cung "
                "cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường "
                "mạng (trước đó là Nghị định số 43/2011/NĐ-CP); ",
                "Government Decree 42/2022/ND-CP of 24 June 2022 on state agencies' provision "
                "of information and online public services (before it, Decree 43/2011/ND-CP); ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "ONE_STOP_SHOP": {
        "concept": (
            "Hệ thống một cửa điện tử là hệ thống thông tin dùng để tiếp nhận, giải quyết, theo "
            "dõi và trả kết quả thủ tục hành chính theo cơ chế một cửa, một cửa liên thông.",
            "The electronic one-stop-shop is the information system for receiving, handling, "
            "tracking and returning administrative procedures under the one-stop-shop and "
            "inter-agency one-stop-shop mechanism.",
        ),
        "numerator": (
            "Trả lời “có” khi bộ phận một cửa của đơn vị tiếp nhận và xử lý hồ sơ thủ tục hành "
            "chính trên hệ thống một cửa điện tử.",
            "“Yes” when the agency's one-stop-shop desk receives and handles administrative "
            "procedure files in the electronic one-stop-shop system.",
        ),
        "legal_basis": _basis(
            (
                "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một "
                "cửa, một cửa liên thông trong giải quyết thủ tục hành chính (sửa đổi, bổ sung "
                "bởi Nghị định số 107/2021/NĐ-CP); Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 "
                "của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử; ",
                "Government Decree 61/2018/ND-CP of 23 April 2018 on the one-stop-shop and "
                "inter-agency one-stop-shop mechanism for administrative procedures (amended by "
                "Decree 107/2021/ND-CP); Government Decree 45/2020/ND-CP of 8 April 2020 on "
                "carrying out administrative procedures electronically; ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "DOC_MANAGEMENT": {
        "concept": (
            "Phần mềm quản lý văn bản và điều hành là phần mềm dùng để tiếp nhận, xử lý, trình "
            "ký, phát hành và lưu trữ văn bản, giao việc và theo dõi công việc của cơ quan trên "
            "môi trường mạng.",
            "Document-management and operation software receives, handles, submits for "
            "signature, issues and files documents, and assigns and tracks the agency's work "
            "online.",
        ),
        "numerator": (
            "Trả lời “có” khi đơn vị sử dụng phần mềm quản lý văn bản và điều hành trong công "
            "việc hằng ngày.",
            "“Yes” when the agency uses document-management and operation software in its daily "
            "work.",
        ),
        "legal_basis": _basis(
            (
                "Quyết định số 28/2018/QĐ-TTg ngày 12/7/2018 của Thủ tướng Chính phủ về việc "
                "gửi, nhận văn bản điện tử giữa các cơ quan trong hệ thống hành chính nhà nước; "
                "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư; ",
                "Prime Minister's Decision 28/2018/QD-TTg of 12 July 2018 on sending and "
                "receiving electronic documents between agencies of the state administration; "
                "Government Decree 30/2020/ND-CP of 5 March 2020 on clerical work; ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "DIGITAL_SIGNATURE": {
        "concept": (
            "Chữ ký số chuyên dùng là chữ ký số do tổ chức cung cấp dịch vụ chứng thực chữ ký "
            "số chuyên dùng Chính phủ (Ban Cơ yếu Chính phủ) cấp cho cơ quan và cán bộ, công "
            "chức để ký văn bản điện tử.",
            "A specialised digital signature is one certified by the Government's specialised "
            "certification service (the Government Cipher Committee) for agencies and officials "
            "to sign electronic documents.",
        ),
        "numerator": (
            "Trả lời “có” khi đơn vị đã được cấp chứng thư số chuyên dùng và có sử dụng để ký "
            "số văn bản điện tử.",
            "“Yes” when the agency has been issued specialised digital-signature certificates "
            "and uses them to sign electronic documents.",
        ),
        "legal_basis": _basis(
            (
                "Luật Giao dịch điện tử; Nghị định số 130/2018/NĐ-CP ngày 27/9/2018 của Chính "
                "phủ quy định chi tiết thi hành Luật Giao dịch điện tử về chữ ký số và dịch vụ "
                "chứng thực chữ ký số và các văn bản thay thế; ",
                "The Law on Electronic Transactions; Government Decree 130/2018/ND-CP of "
                "27 September 2018 on digital signatures and digital-signature certification "
                "services, and the documents replacing it; ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "OFFICIAL_EMAIL": {
        "concept": (
            "Hộp thư điện tử công vụ là hộp thư điện tử do cơ quan nhà nước cấp cho cán bộ, công "
            "chức (tên miền của cơ quan, ví dụ @kiengiang.gov.vn) để trao đổi công việc.",
            "An official e-mail account is one a state agency issues to an official (under the "
            "agency's domain, e.g. @kiengiang.gov.vn) for work.",
        ),
        "numerator": (
            "Số cán bộ, công chức của đơn vị đã được cấp hộp thư điện tử công vụ.",
            "The agency's officials who have been issued an official e-mail account.",
        ),
        "denominator": (
            "Tổng số cán bộ, công chức của đơn vị.",
            "All of the agency's officials.",
        ),
        "legal_basis": _basis(
            (
                "Chỉ thị số 34/2008/CT-TTg ngày 03/12/2008 của Thủ tướng Chính phủ về việc tăng "
                "cường sử dụng hệ thống thư điện tử trong hoạt động của cơ quan nhà nước; ",
                "Prime Minister's Directive 34/2008/CT-TTg of 3 December 2008 on making more "
                "use of e-mail in state agencies; ",
            )
        ),
        "source": AGENCY_REPORTS,
    },
    "E_DOCUMENTS": {
        "concept": (
            "Văn bản đến và văn bản đi của cơ quan được tiếp nhận, xử lý và phát hành dưới dạng "
            "điện tử trên phần mềm quản lý văn bản.",
            "An agency's incoming and outgoing documents received, handled and issued "
            "electronically in the document-management software.",
        ),
        "numerator": (
            "Số văn bản đến và văn bản đi trong năm được cập nhật và xử lý trên phần mềm quản "
            "lý văn bản.",
            "Incoming and outgoing documents of the year recorded and handled in the "
            "document-management software.",
        ),
        "denominator": (
            "Tổng số văn bản đến và văn bản đi của đơn vị trong năm.",
            "All incoming and outgoing documents of the agency in the year.",
        ),
        "legal_basis": _basis(
            (
                "Quyết định số 28/2018/QĐ-TTg ngày 12/7/2018 của Thủ tướng Chính phủ về việc "
                "gửi, nhận văn bản điện tử giữa các cơ quan trong hệ thống hành chính nhà nước; "
                "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư; ",
                "Prime Minister's Decision 28/2018/QD-TTg of 12 July 2018 on sending and "
                "receiving electronic documents between agencies of the state administration; "
                "Government Decree 30/2020/ND-CP of 5 March 2020 on clerical work; ",
            )
        ),
        "source": (
            "Số liệu thống kê của phần mềm quản lý văn bản và sổ đăng ký văn bản của các đơn "
            "vị; báo cáo của các đơn vị.",
            "The statistics of the document-management software and the agencies' document "
            "registers; the agencies' reports.",
        ),
    },
    "ONLINE_MEETINGS": {
        "concept": (
            "Cuộc họp trực tuyến là cuộc họp được tổ chức qua hệ thống hội nghị truyền hình, "
            "kết nối các điểm cầu ở nhiều địa điểm.",
            "An online meeting is one held over the video-conference system, linking sites in "
            "several places.",
        ),
        "numerator": (
            "Số cuộc họp trong năm được tổ chức bằng hình thức trực tuyến (ví dụ: họp của UBND "
            "tỉnh với Chính phủ, các bộ, ngành Trung ương và UBND cấp huyện).",
            "Meetings of the year held online (e.g. the Provincial People's Committee's "
            "meetings with the Government, central ministries and district People's "
            "Committees).",
        ),
        "denominator": (
            "Tổng số cuộc họp cùng loại được tổ chức trong năm.",
            "All meetings of the same kind held in the year.",
        ),
        "legal_basis": _basis(("", "")),
        "source": (
            "Lịch họp và báo cáo của Văn phòng UBND tỉnh, các đơn vị tổ chức họp.",
            "The meeting schedules and reports of the Provincial People's Committee's office "
            "and of the agencies holding the meetings.",
        ),
    },
    "PUBLIC_SERVICES_L3": {
        "concept": (
            "Dịch vụ công trực tuyến mức độ 3 là dịch vụ cho phép người sử dụng điền và gửi "
            "trực tuyến các mẫu văn bản đến cơ quan giải quyết; việc thanh toán lệ phí (nếu có) "
            "và nhận kết quả thực hiện trực tiếp tại cơ quan.",
            "A level-3 online public service lets the user fill in and send the forms online to "
            "the handling agency; fees (if any) are paid and the result collected at the agency.",
        ),
        "numerator": (
            "Số thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến mức độ 3.",
            "Administrative procedures offered as online public services at level 3.",
        ),
        "denominator": ALL_PROCEDURES,
        "legal_basis": _basis(L34_BASIS),
        "source": SERVICES_SOURCE,
    },
    "PUBLIC_SERVICES_L4": {
        "concept": (
            "Dịch vụ công trực tuyến mức độ 4 là dịch vụ mức độ 3 mà việc thanh toán lệ phí "
            "(nếu có) và nhận kết quả được thực hiện trực tuyến hoặc qua dịch vụ bưu chính.",
            "A level-4 online public service is a level-3 service whose fees (if any) are paid "
            "and result delivered online or by post.",
        ),
        "numerator": (
            "Số thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến mức độ 4.",
            "Administrative procedures offered as online public services at level 4.",
        ),
        "denominator": ALL_PROCEDURES,
        "legal_basis": _basis(L34_BASIS),
        "source": SERVICES_SOURCE,
    },
    "PUBLIC_SERVICES_FULL": {
        "concept": (
            "Dịch vụ công trực tuyến toàn trình là dịch vụ bảo đảm cung cấp toàn bộ thông tin về "
            "thủ tục hành chính, người sử dụng thực hiện các bước từ nộp hồ sơ, thanh toán phí, "
            "lệ phí (nếu có) đến nhận kết quả trên môi trường mạng.",
            "A full-online public service provides all information on the procedure, and the "
            "user takes every step online, from filing and paying fees (if any) to receiving the "
            "result.",
        ),
        "numerator": (
            "Số thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến toàn trình.",
            "Administrative procedures offered as full-online public services.",
        ),
        "denominator": ALL_PROCEDURES,
        "legal_basis": DECREE_42_BASIS,
        "source": SERVICES_SOURCE,
    },
    "PUBLIC_SERVICES_PARTIAL": {
        "concept": (
            "Dịch vụ công trực tuyến một phần là dịch vụ công trực tuyến không bảo đảm điều kiện "
            "của dịch vụ toàn trình: một số bước (như xuất trình bản chính, nộp phí hoặc nhận "
            "kết quả) vẫn thực hiện trực tiếp.",
            "A partly online public service is an online service that does not meet the "
            "conditions of a full-online one: some steps (such as showing originals, paying "
            "fees or collecting the result) are still done in person.",
        ),
        "numerator": (
            "Số thủ tục hành chính được cung cấp dưới dạng dịch vụ công trực tuyến một phần.",
            "Administrative procedures offered as partly online public services.",
        ),
        "denominator": ALL_PROCEDURES,
        "legal_basis": DECREE_42_BASIS,
        "source": SERVICES_SOURCE,
    },
}


def fill(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(code__in=DEFINITIONS):
        texts = dict(DEFINITIONS[indicator.code])
        texts.setdefault("denominator", YES_NO_DENOMINATOR)
        texts["formula"] = FORMULA.get(indicator.kind, ("", ""))
        texts["source"] = texts.get("source", AGENCY_REPORTS)
        changed = []
        for name, pair in texts.items():
            field = "numerator_definition" if name == "numerator" else name
            field = "denominator_definition" if name == "denominator" else field
            for language, text in zip(("vi", "en"), pair, strict=True):
                attribute = f"{field}_{language}"
                # An admin's own text is kept.
                if text and not getattr(indicator, attribute):
                    setattr(indicator, attribute, text)
                    changed.append(attribute)
        if changed:
            indicator.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_definitions")]

    # Going back leaves the texts: the previous migration drops their columns anyway.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
