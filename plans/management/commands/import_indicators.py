from django.utils.translation import gettext_lazy as _

from plans.management.base import ImportCommand
from plans.services.imports import indicators_import


class Command(ImportCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = _(  # type: ignore[assignment]
        "Nhập danh mục chỉ tiêu (indicators.csv do export_data ghi): tạo chỉ tiêu mới, sửa chỉ "
        "tiêu đã có theo mã. Khi khôi phục, chạy lệnh này trước import_agencies."
    )
    service = staticmethod(indicators_import)
