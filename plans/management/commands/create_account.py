import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.forms.accounts import AccountForm
from plans.models import Profile
from plans.services.accounts import account_create


class Command(BaseCommand):
    help = _(
        "Tạo tài khoản với vai trò và các tỉnh được giao (cán bộ báo cáo: một tỉnh và các đơn "
        "vị của tỉnh đó). Không có --password-stdin thì tạo một mật khẩu mạnh và in ra một lần."
    )
    # Tests pass their own stdin through call_command(stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("Tên đăng nhập."))
        parser.add_argument("--role", required=True, choices=Profile.Role.values)
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            dest="provinces",
            metavar="CODE",
            help=_("Mã tỉnh được giao (lặp lại cho nhiều tỉnh), ví dụ 91."),
        )
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            dest="agencies",
            metavar="AGENCY_CODE",
            help=_(
                "Cán bộ báo cáo: mã đơn vị được giao, thuộc tỉnh của --province (lặp lại cho "
                "nhiều đơn vị), ví dụ 91-SNV."
            ),
        )
        parser.add_argument(
            "--email",
            default="",
            metavar="ADDRESS",
            help=_("Địa chỉ thư điện tử, để nhận thư nhắc báo cáo (send_reminders)."),
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=_("Đọc mật khẩu từ dòng đầu của đầu vào chuẩn thay vì tạo mật khẩu."),
        )

    def handle(
        self, *args, username, role, provinces, agencies, email, password_stdin, **options
    ):
        password = None
        if password_stdin:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError(_("Không đọc được mật khẩu từ đầu vào chuẩn (dòng trống)."))
        form = AccountForm.from_codes(
            username=username, role=role, province_codes=provinces, agency_codes=agencies,
            email=email, password=password,
        )
        if not form.is_valid():
            raise CommandError("\n".join(form.messages()))
        try:
            user, generated = account_create(
                username=form.cleaned_data["username"], role=role, province_codes=provinces,
                password=password, agency_codes=agencies, email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            _("Đã tạo tài khoản %(username)s, vai trò %(role)s, tỉnh: %(provinces)s.")
            % {
                "username": user.get_username(),
                "role": Profile.Role(role).label,
                "provinces": ", ".join(sorted(provinces)) or _("(không giới hạn)"),
            }
        )
        if role == Profile.Role.REPORTER:
            bound = user.profile.agencies.order_by("name")
            self.stdout.write(
                _("Báo cáo cho các đơn vị: %(agencies)s.")
                % {"agencies": ", ".join(f"{a.name} ({a.code})" for a in bound)}
            )
        if generated:
            self.stdout.write(
                _("Mật khẩu (chỉ hiện lần này, hãy lưu lại): %(password)s")
                % {"password": generated}
            )
