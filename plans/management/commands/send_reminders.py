"""python manage.py send_reminders [--province CODE] [--year YEAR] [--dry-run]."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import Plan, Province
from plans.services.reminders import reminder_message, reminders_collect


class Command(BaseCommand):
    help = _(
        "Gửi thư nhắc cán bộ báo cáo (và cán bộ nhập liệu của tỉnh, với đơn vị chưa có cán bộ "
        "báo cáo) về các đơn vị chưa gửi báo cáo hoặc bị trả lại, khi hạn gửi báo cáo còn "
        "REMINDER_DAYS_BEFORE ngày hoặc ít hơn, hay đã qua. Mỗi người một thư."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", metavar="CODE", help=_("Chỉ tỉnh có mã này."))
        parser.add_argument("--year", type=int, metavar="YEAR", help=_("Chỉ kế hoạch năm này."))
        parser.add_argument(
            "--dry-run", action="store_true",
            help=_("Chỉ liệt kê ai sẽ nhận thư về những đơn vị nào; không gửi gì."),
        )

    def handle(self, *args, province=None, year=None, dry_run=False, **options):
        if province is not None and not Province.objects.filter(code=province).exists():
            raise CommandError(_("Không có tỉnh mã %(code)s.") % {"code": province})
        if year is not None and not Plan.objects.filter(year=year).exists():
            raise CommandError(_("Không có kế hoạch năm %(year)s.") % {"year": year})
        today = timezone.localdate()
        reminders = reminders_collect(today=today, province_code=province, year=year)
        reachable = [reminder for reminder in reminders if reminder.reachable]
        for reminder in reminders:
            user = reminder.user
            names = "; ".join(
                f"{owed.plan.province.name} {owed.plan.year}: "
                + ", ".join(status.agency.display_name for status in owed.agencies)
                for owed in reminder.plans
            )
            if reminder.reachable:
                self.stdout.write(
                    _("%(username)s <%(email)s>: %(agencies)s")
                    % {"username": user.get_username(), "email": user.email, "agencies": names}
                )
            else:
                self.stdout.write(
                    _("Không liên lạc được %(username)s (chưa có địa chỉ thư điện tử): "
                      "%(agencies)s") % {"username": user.get_username(), "agencies": names}
                )
        if dry_run:
            self.stdout.write(
                ngettext(
                    "Chạy thử: sẽ gửi %(count)s thư; chưa gửi gì.",
                    "Chạy thử: sẽ gửi %(count)s thư; chưa gửi gì.",
                    len(reachable),
                ) % {"count": len(reachable)}
            )
            return
        messages = [reminder_message(reminder, today=today) for reminder in reachable]
        # One connection for every message; an SMTP failure stops the command with its error.
        sent = get_connection().send_messages(messages) if messages else 0
        self.stdout.write(self.style.SUCCESS(
            ngettext("Đã gửi %(count)s thư nhắc.", "Đã gửi %(count)s thư nhắc.", sent or 0)
            % {"count": sent or 0}
        ))
