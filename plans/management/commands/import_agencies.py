from django.utils.translation import gettext_lazy

from plans.management.base import ImportCommand
from plans.services.imports import agencies_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Nhập danh sách đơn vị (agencies.csv) theo docs/FORMATS.md."
    )
    service = staticmethod(agencies_import)
    shows_progress = True
