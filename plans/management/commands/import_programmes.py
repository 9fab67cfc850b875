from django.utils.translation import gettext_lazy as _

from plans.management.commands.import_agencies import ImportCommand
from plans.services.imports.programmes import programmes_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = _(  # type: ignore[assignment]
        "Nhập chương trình nhiều năm và chỉ tiêu năm cuối của chúng (programmes.csv) theo "
        "docs/FORMATS.md."
    )
    service = staticmethod(programmes_import)
