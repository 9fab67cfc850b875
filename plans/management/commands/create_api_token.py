from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.services.api_tokens import api_token_create
from plans.words.wording import time_text


class Command(BaseCommand):
    help = _(
        "Tạo mã truy cập API cho một tài khoản; mã hành động với vai trò và các tỉnh của tài "
        "khoản đó. Mã được in một lần, ở dòng cuối; cơ sở dữ liệu chỉ giữ mã băm của nó."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("Tên đăng nhập của chủ mã."))
        parser.add_argument(
            "--label", default="", metavar="TEXT",
            help=_("Nhãn để nhận ra mã trong trang quản trị, ví dụ tên hệ thống dùng nó."),
        )
        parser.add_argument(
            "--expires-days", type=int, default=None, metavar="N",
            help=_("Mã hết hạn sau N ngày (mặc định: không hết hạn, đến khi bị thu hồi)."),
        )

    def handle(self, *args, username, label, expires_days, **options):
        try:
            row, token = api_token_create(
                username=username, label=label, expires_days=expires_days
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        expiry = (
            time_text(timezone.localtime(row.expires_at)) if row.expires_at else _("không bao giờ")
        )
        self.stdout.write(
            _("Đã tạo mã truy cập API cho %(username)s (nhãn: %(label)s, hết hạn: %(expiry)s). "
              "Hãy lưu mã ở dòng dưới ngay: nó không được hiển thị lại.")
            % {"username": username, "label": row.label or "—", "expiry": expiry}
        )
        self.stdout.write(token)
