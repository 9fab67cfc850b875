"""python manage.py verify_figures [--province CODE] [--year YEAR]."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
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
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # An empty or older database has no figures to check, or not all their tables:
            # say so rather than fail on the first missing table.
            raise CommandError(
                _("Cơ sở dữ liệu chưa có đủ các bảng: hãy chạy “python manage.py migrate” "
                  "trước khi kiểm tra số liệu.")
            )
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
