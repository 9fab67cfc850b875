from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import MAX_YEAR, MIN_YEAR, Province
from plans.outputs.exports import progress_csv
from plans.outputs.programme_export import programme_csv


class Command(BaseCommand):
    # Lazy, so that --help speaks the active language: Django takes it, the stubs want str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Xuất tiến độ thực hiện chỉ tiêu của một tỉnh trong một năm (progress.csv theo "
        "docs/FORMATS.md), hoặc với --programme tiến độ và dự báo của một chương trình nhiều "
        "năm; mặc định ra đầu ra chuẩn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, metavar="CODE",
                            help=_("Mã tỉnh, ví dụ 91."))
        parser.add_argument("--year", type=int, metavar="YEAR",
                            help=_("Năm kế hoạch, ví dụ 2017."))
        parser.add_argument("--programme", metavar="CODE",
                            help=_("Mã chương trình nhiều năm (thay cho --year)."))
        parser.add_argument("--output", metavar="FILE",
                            help=_("Ghi ra tệp này (UTF-8, không BOM) thay vì đầu ra chuẩn."))

    def handle(self, *args, province, year, programme, output, **options):
        if (year is None) == (programme is None):
            raise CommandError(_("Hãy ghi một trong hai: --year hoặc --programme."))
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(
                _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
        found = Province.objects.filter(code=province.strip()).first()
        if found is None:
            raise CommandError(_("Không có tỉnh mã %(code)s.") % {"code": province})
        if programme is not None:
            chosen = found.programmes.filter(code=programme.strip()).first()
            if chosen is None:
                raise CommandError(
                    _("Tỉnh %(province)s không có chương trình mã %(code)s.")
                    % {"province": found.name, "code": programme}
                )
            text = programme_csv(chosen)
        else:
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
