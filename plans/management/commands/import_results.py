from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.management.base import ImportCommand
from plans.services.imports import NEWER_OVERWRITE, NEWER_REFUSE, results_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Nhập kết quả thực hiện (results.csv) theo docs/FORMATS.md."
    )
    service = staticmethod(results_import)
    shows_progress = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sample",
            action="store_true",
            help=_("Đánh dấu các kết quả là dữ liệu mẫu, không phải số liệu công bố."),
        )
        parser.add_argument(
            "--overwrite-newer",
            action="store_true",
            help=_(
                "Ghi cả những dòng mà kết quả đã được sửa sau khi tệp mẫu được tải về (cột "
                "version cũ hơn); không có cờ này, các dòng đó bị từ chối."
            ),
        )

    def service_options(self, options) -> dict:
        return {
            "is_sample": options["sample"],
            "newer": NEWER_OVERWRITE if options["overwrite_newer"] else NEWER_REFUSE,
        }
