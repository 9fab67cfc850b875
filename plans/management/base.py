"""What the import commands share: reading FILE, --dry-run, progress, and telling the outcome."""

from collections.abc import Callable
from typing import ClassVar

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.management.progress import ProgressLine, data_rows_in
from plans.services.imports import ImportRefused, ImportReport


class ImportCommand(BaseCommand):
    """Run one import service on FILE; the import commands differ only in what they call."""

    # The import service, keyword arguments only; each command sets it.
    service: ClassVar[Callable[..., ImportReport]]
    # Whether the service takes ``progress``: the command then shows it on a terminal.
    shows_progress: ClassVar[bool] = False
    requires_migrations_checks = True

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=_("Tệp CSV (UTF-8) hoặc XLSX."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ kiểm tra và báo số dòng sẽ tạo, sửa; không ghi gì."),
        )
        if self.shows_progress:
            parser.add_argument(
                "--progress",
                action="store_true",
                default=None,
                help=_("Hiện tiến độ (số dòng, tốc độ, thời gian còn lại) trên stderr, kể cả "
                       "khi stderr không phải màn hình; mặc định chỉ hiện trên màn hình."),
            )
            parser.add_argument(
                "--no-progress",
                action="store_false",
                dest="progress",
                help=_("Không hiện tiến độ, kể cả trên màn hình."),
            )

    def service_options(self, options) -> dict:
        return {}

    def handle(self, *args, file, dry_run, **options):
        try:
            source = open(file, "rb")  # closed by the "with" below
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(reason)s.")
                % {"file": file, "reason": exc.strerror or exc}
            ) from exc
        try:
            with source:
                progress = self._progress_line(source, dry_run, options.get("progress"))
                extra = {} if progress is None else {"progress": progress}
                try:
                    report = type(self).service(
                        source=source, dry_run=dry_run, **self.service_options(options), **extra
                    )
                finally:
                    if progress is not None:
                        progress.finish()
        except ImportRefused as refused:
            if refused.report.sheet:
                self.stderr.write(self._sheet_read(refused.report.sheet))
            for error in refused.report.errors:
                if error.line:
                    self.stderr.write(
                        _("dòng %(line)s: %(message)s")
                        % {"line": error.line, "message": error.message}
                    )
                else:
                    self.stderr.write(_("tệp: %(message)s") % {"message": error.message})
            raise CommandError(
                _("Tệp %(file)s bị từ chối: %(count)s lỗi, không có dữ liệu nào được ghi.")
                % {"file": file, "count": len(refused.report.errors)}
            ) from None
        summary = (
            _("Kiểm tra %(rows)s dòng (chạy thử, không ghi gì): sẽ tạo %(created)s, sửa "
              "%(updated)s, giữ nguyên %(unchanged)s.")
            if report.dry_run
            else _("Đã nhập %(rows)s dòng: tạo %(created)s, sửa %(updated)s, giữ nguyên "
                   "%(unchanged)s.")
        )
        summary %= {"rows": report.rows, "created": report.created, "updated": report.updated,
                    "unchanged": report.unchanged}
        if report.skipped_blank:
            # Only results files have blank rows to skip (a template's unfilled rows).
            summary += " " + _("Bỏ qua %(skipped)s dòng trống (không có value, numerator, "
                               "denominator, note).") % {"skipped": report.skipped_blank}
        if report.sheet:
            summary += " " + self._sheet_read(report.sheet)
        self.stdout.write(summary)

    def _progress_line(self, source, dry_run: bool, wanted: bool | None) -> ProgressLine | None:
        """Return the progress line to give the service, or None: none on a pipe unless asked.

        The total is counted from the CSV's line breaks before the import: a read of the
        bytes, cheap against the import's parsing (README.md, "Progress").
        """
        if not self.shows_progress:
            return None
        if wanted is None:
            wanted = self.stderr.isatty()
        if not wanted:
            return None

        def write(text: str) -> None:
            # Plain, not in stderr's error colour; flushed, or a terminal shows nothing.
            self.stderr.write(text, style_func=str, ending="")
            self.stderr.flush()

        return ProgressLine(write, total=data_rows_in(source), dry_run=dry_run)

    @staticmethod
    def _sheet_read(sheet: str) -> str:
        return _("Đã đọc trang tính “%(sheet)s”.") % {"sheet": sheet}
