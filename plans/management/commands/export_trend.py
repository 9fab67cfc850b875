from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import Indicator
from plans.models import Province
from plans.outputs.trend_export import trend_csv
from plans.rules.tiers import TiersError, parse_tiers


class Command(BaseCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Xuất số liệu một chỉ tiêu của một tỉnh qua các năm, trên địa bàn hiện nay (gồm các "
        "tỉnh cũ trước sáp nhập), theo docs/FORMATS.md; mặc định ra đầu ra chuẩn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, metavar="CODE",
                            help=_("Mã tỉnh, ví dụ 89."))
        parser.add_argument("--indicator", required=True, metavar="CODE",
                            help=_("Mã chỉ tiêu, ví dụ OFFICIAL_EMAIL."))
        parser.add_argument("--tiers", required=True, metavar="TIERS",
                            help=_("Các cấp nối bằng dấu +, ví dụ department+commune, hoặc all."))
        parser.add_argument("--output", metavar="FILE",
                            help=_("Ghi ra tệp này (UTF-8, không BOM) thay vì đầu ra chuẩn."))

    def handle(self, *args, province, indicator, tiers, output, **options):
        found = Province.objects.filter(code=province.strip()).first()
        if found is None:
            raise CommandError(_("Không có tỉnh mã %(code)s.") % {"code": province})
        chosen = Indicator.objects.filter(code=indicator.strip()).first()
        if chosen is None:
            raise CommandError(
                _("Không có chỉ tiêu mã “%(code)s” trong danh mục.") % {"code": indicator}
            )
        try:
            tier_list = parse_tiers(tiers)
        except TiersError as exc:
            raise CommandError(str(exc)) from None
        text = trend_csv(province=found, indicator=chosen, tiers=tier_list)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp %(file)s: %(reason)s.")
                % {"file": output, "reason": exc.strerror or exc}
            ) from exc
