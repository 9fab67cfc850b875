"""python manage.py verify_figures [--province CODE] [--year YEAR]."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.selectors.verify import figures_differences, province_years


class Command(BaseCommand):
    help = _(
        "Tính lại mọi số liệu từ các kết quả gốc và so với số liệu các trang hiển thị (kể cả "
        "bộ nhớ đệm): in từng chỗ khác nhau, kết thúc với mã lỗi nếu có."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", metavar="CODE", help=_("Chỉ tỉnh có mã này."))
        parser.add_argument("--year", type=int, metavar="YEAR", help=_("Chỉ năm này."))

    def handle(self, *args, province=None, year=None, **options):
        checked = len(province_years(province, year))
        differences = 0
        for difference in figures_differences(province, year):
            differences += 1
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                ngettext(
                    "%(count)s số liệu khác với kết quả gốc.",
                    "%(count)s số liệu khác với kết quả gốc.",
                    differences,
                ) % {"count": differences}
            )
        self.stdout.write(
            ngettext(
                "Đã kiểm tra %(count)s năm của các tỉnh: mọi số liệu khớp với kết quả gốc.",
                "Đã kiểm tra %(count)s năm của các tỉnh: mọi số liệu khớp với kết quả gốc.",
                checked,
            ) % {"count": checked}
        )
