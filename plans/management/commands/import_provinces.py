from django.utils.translation import gettext_lazy as _

from plans.management.commands.import_agencies import ImportCommand
from plans.services.imports.provinces import provinces_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = _(  # type: ignore[assignment]
        "Nhập danh sách tỉnh với ngày hoạt động và tỉnh kế thừa (provinces.csv) theo "
        "docs/FORMATS.md."
    )
    service = staticmethod(provinces_import)
