"""python manage.py load_demo [--no-accounts]: the demo data and the demo accounts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.demo.loader import demo_load
from plans.models import Agency, Plan, Profile, Province, Result, Target
from plans.services.imports import ImportRefused


class Command(BaseCommand):
    help = _(
        "Nạp dữ liệu mẫu: Kiên Giang (kế hoạch 2016, 2017) và Hưng Yên (2017, 2018) với các đơn "
        "vị, chỉ tiêu và kết quả mẫu; tạo lại tài khoản demo với mật khẩu mới. Chạy lại nhiều "
        "lần vẫn cho cùng một dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help=_("Không tạo tài khoản demo (và không đổi mật khẩu của chúng)."),
        )

    def handle(self, *args, **options):
        try:
            report = demo_load(accounts=not options["no_accounts"])
        except ImportRefused as exc:
            lines = [str(exc)] + [
                _("dòng %(line)s: %(message)s") % {"line": e.line, "message": e.message}
                for e in exc.report.errors
            ]
            raise CommandError("\n".join(lines)) from exc

        for label, imported in report.imports:
            self.stdout.write(
                _("%(label)s: %(rows)s dòng — tạo mới %(created)s, cập nhật %(updated)s, giữ "
                  "nguyên %(unchanged)s.")
                % {"label": label, "rows": imported.rows, "created": imported.created,
                   "updated": imported.updated, "unchanged": imported.unchanged}
            )
        for plan in report.kept_closed:
            self.stdout.write(
                _("Kế hoạch năm %(year)s của tỉnh %(province)s đã tổng kết: giữ nguyên kết quả.")
                % {"year": plan.year, "province": plan.province.name}
            )
        self.stdout.write(self.style.SUCCESS(
            _("Dữ liệu mẫu: %(provinces)s tỉnh, %(agencies)s đơn vị, %(plans)s kế hoạch, "
              "%(targets)s chỉ tiêu, %(results)s kết quả mẫu.")
            % {
                "provinces": Province.objects.count(),
                "agencies": Agency.objects.count(),
                "plans": Plan.objects.count(),
                "targets": Target.objects.count(),
                "results": Result.objects.filter(is_sample=True).count(),
            }
        ))
        if report.accounts:
            self.write_accounts(report.accounts)

    def write_accounts(self, accounts):
        roles = dict(Profile.Role.choices)
        names = dict(Province.objects.values_list("code", "name"))
        header = (_("Tên đăng nhập"), _("Vai trò"), _("Tỉnh"), _("Mật khẩu"))
        rows = [
            (
                account.username,
                str(roles[account.role]),
                ", ".join(names[code] for code in account.provinces) or _("tất cả"),
                account.password,
            )
            for account in accounts
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản demo (mật khẩu mới, chỉ hiện lần này; chạy lại load_demo để đổi):")
        )
        for row in [header, *rows]:
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + line).rstrip())
        agency_names = dict(
            Agency.objects.filter(
                code__in=[code for account in accounts for code in account.agencies]
            ).values_list("code", "name")
        )
        for account in accounts:
            if account.agencies:
                self.stdout.write(
                    _("Tài khoản %(username)s báo cáo cho: %(agencies)s.")
                    % {
                        "username": account.username,
                        "agencies": ", ".join(agency_names[code] for code in account.agencies),
                    }
                )
