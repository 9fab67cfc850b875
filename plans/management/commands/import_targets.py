from django.utils.translation import gettext_lazy as _

from plans.management.base import ImportCommand
from plans.services.imports import targets_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = _(  # type: ignore[assignment]
        "Nhập chỉ tiêu kế hoạch (targets.csv) theo docs/FORMATS.md; tạo kế hoạch năm nếu chưa có."
    )
    service = staticmethod(targets_import)
