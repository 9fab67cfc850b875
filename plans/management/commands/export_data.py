from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Province
from plans.outputs.backup import (
    write_agencies,
    write_indicators,
    write_items,
    write_programmes,
    write_provinces,
    write_results,
    write_targets,
)

# In the order of a restore: each file names only what the ones before it created.
FILES = (
    ("indicators.csv", write_indicators),
    ("agencies.csv", write_agencies),
    ("provinces.csv", write_provinces),
    ("targets.csv", write_targets),
    ("items.csv", write_items),
    ("results.csv", write_results),
    ("programmes.csv", write_programmes),
)


class Command(BaseCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Ghi danh mục chỉ tiêu, đơn vị, tỉnh, chỉ tiêu kế hoạch, hạng mục, kết quả và chương "
        "trình ra indicators.csv, agencies.csv, provinces.csv, targets.csv, items.csv, "
        "results.csv, programmes.csv trong thư mục DIR, đúng định dạng nhập (docs/FORMATS.md), "
        "để sao lưu hoặc chuyển sang máy khác. Khôi phục bằng import_indicators, "
        "import_agencies, import_provinces, import_targets, import_items, import_results rồi "
        "import_programmes."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR",
                            help=_("Thư mục ghi các tệp (được tạo nếu chưa có)."))
        parser.add_argument("--province", action="append", metavar="CODE",
                            help=_("Chỉ xuất tỉnh này; lặp lại cho nhiều tỉnh. Mặc định: tất cả."))

    def handle(self, *args, directory, province, **options):
        provinces = None
        if province:
            provinces = sorted({code.strip() for code in province})
            known = set(Province.objects.filter(code__in=provinces).values_list("code", flat=True))
            unknown = [code for code in provinces if code not in known]
            if unknown:
                raise CommandError(
                    _("Không có tỉnh mã %(codes)s.") % {"codes": ", ".join(unknown)}
                )
        folder = Path(directory)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # One snapshot for the four files (a repeatable read on PostgreSQL), so that no
            # result names an agency or a year that the other files miss.
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if outermost and connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                for name, write in FILES:
                    with open(folder / name, "w", encoding="utf-8", newline="") as file:
                        count = write(file, provinces=provinces)
                    self.stdout.write(
                        _("%(file)s: %(count)s dòng.")
                        % {"file": folder / name, "count": count}
                    )
        except OSError as exc:
            raise CommandError(
                _("Không ghi được vào %(dir)s: %(reason)s.")
                % {"dir": folder, "reason": exc.strerror or exc}
            ) from exc

