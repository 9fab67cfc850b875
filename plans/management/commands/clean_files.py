"""python manage.py clean_files [--dry-run] [--min-age MINUTES]."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from plans.services.evidence import evidence_leftovers_clean


class Command(BaseCommand):
    help = _(
        "Liệt kê và xoá các tệp minh chứng không có dòng nào trong cơ sở dữ liệu (tệp còn lại "
        "khi máy chủ dừng giữa chừng) và các tệp tạm của những lần tải lên không xong; báo các "
        "dòng mà tệp đã mất (không xoá dòng nào)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Chỉ liệt kê; không xoá gì."),
        )
        parser.add_argument(
            "--min-age", type=int, default=60, metavar="MINUTES",
            help=_("Bỏ qua tệp mới hơn chừng này phút: một lần tải lên đang diễn ra "
                   "(mặc định 60)."),
        )

    def handle(self, *args, dry_run=False, min_age=60, **options):
        found = evidence_leftovers_clean(remove=not dry_run,
                                         min_age=timedelta(minutes=min_age))
        verb = _("sẽ xoá") if dry_run else _("đã xoá")
        for name, size in found.files_without_row:
            self.stdout.write(_("Tệp không có dòng nào (%(verb)s): %(name)s (%(size)s)")
                              % {"verb": verb, "name": name, "size": filesizeformat(size)})
        for path, size in found.temporary_uploads:
            self.stdout.write(_("Tệp tạm của lần tải lên không xong (%(verb)s): %(name)s "
                                "(%(size)s)")
                              % {"verb": verb, "name": path, "size": filesizeformat(size)})
        for evidence in found.rows_without_file:
            self.stdout.write(
                _("Dòng không có tệp: minh chứng số %(id)s của %(agency)s năm %(year)s, "
                  "“%(name)s” (%(file)s). Hãy khôi phục tệp từ bản sao lưu hoặc xoá minh chứng "
                  "trên trang của đơn vị.")
                % {"id": evidence.pk, "agency": evidence.agency.name, "year": evidence.year,
                   "name": evidence.original_name, "file": evidence.file.name}
            )
        self.stdout.write(
            _("Tệp không có dòng: %(files)s; tệp tạm: %(temporary)s (%(verb)s); dòng không có "
              "tệp: %(rows)s.")
            % {"files": len(found.files_without_row), "temporary": len(found.temporary_uploads),
               "verb": verb, "rows": len(found.rows_without_file)}
        )
