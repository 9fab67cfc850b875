from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import MAX_YEAR, MIN_YEAR, Province
from plans.outputs.exports import progress_csv


class Command(BaseCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Xuất tiến độ thực hiện chỉ tiêu của một tỉnh trong một năm (progress.csv theo "
        "docs/FORMATS.md), mặc định ra đầu ra chuẩn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, metavar="CODE",
                            help=_("Mã tỉnh, ví dụ 91."))
        parser.add_argument("--year", required=True, type=int, metavar="YEAR",
                            help=_("Năm kế hoạch, ví dụ 2017."))
        parser.add_argument("--output", metavar="FILE",
                            help=_("Ghi ra tệp này (UTF-8, không BOM) thay vì đầu ra chuẩn."))

    def handle(self, *args, province, year, output, **options):
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(
                _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
        found = Province.objects.filter(code=province.strip()).first()
        if found is None:
            raise CommandError(_("Không có tỉnh mã %(code)s.") % {"code": province})
        text = progress_csv(province=found, year=year)
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
