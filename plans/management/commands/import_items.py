from django.utils.translation import gettext_lazy as _

from plans.management.base import ImportCommand
from plans.services.imports import items_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = _(  # type: ignore[assignment]
        "Nhập hạng mục đã hoàn thành của chỉ tiêu dạng danh sách (items.csv) theo "
        "docs/FORMATS.md; các hạng mục phải có sẵn ở cột items của targets.csv."
    )
    service = staticmethod(items_import)
