"""Load the demo into the database through the project's own imports and services.

``demo_load`` runs in one transaction: agencies, targets and sample results go through
``plans.services.imports`` (channel ``demo``), so a second run finds everything unchanged and
writes nothing, not even a Change row. The plans' descriptions (title, tasks, sample mark) and
their status are set here; a plan that is closed keeps its results (the imports refuse to change
a closed plan, and so does the demo).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from plans.demo import builder, merger
from plans.models import Agency, Change, Plan, Profile, Province
from plans.services.accounts import account_create, password_generate
from plans.services.history import change_record
from plans.services.imports import (
    ImportReport,
    agencies_import,
    results_import,
    targets_import,
)
from plans.services.imports.programmes import programmes_import
from plans.services.imports.provinces import provinces_import
from plans.services.plans import plan_status_record

DEMO = Change.Channel.DEMO
# Every demo account gets <username>@example.org (a domain reserved for examples, RFC 2606),
# so that send_reminders shows its messages on a fresh install.
DEMO_EMAIL_DOMAIN = "example.org"

# (username, role, province codes, agency codes): an officer and a leader per demo province,
# the admin, and a reporter for a department and a commune of Kiên Giang.
DEMO_ACCOUNTS = [
    ("admin", Profile.Role.ADMIN, (), ()),
    ("canbo_kiengiang", Profile.Role.OFFICER, (builder.KIEN_GIANG,), ()),
    ("lanhdao_kiengiang", Profile.Role.LEADER, (builder.KIEN_GIANG,), ()),
    ("canbo_hungyen", Profile.Role.OFFICER, (builder.HUNG_YEN,), ()),
    ("lanhdao_hungyen", Profile.Role.LEADER, (builder.HUNG_YEN,), ()),
    # Sở Nội vụ and UBND phường Vĩnh Thanh.
    ("baocao_kiengiang", Profile.Role.REPORTER, (builder.KIEN_GIANG,), ("91-SNV", "91-X30733")),
    # The merged An Giang's people, who read the former Kiên Giang's years too.
    ("canbo_angiang", Profile.Role.OFFICER, (merger.AN_GIANG,), ()),
    ("lanhdao_angiang", Profile.Role.LEADER, (merger.AN_GIANG, builder.KIEN_GIANG), ()),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    provinces: tuple[str, ...]
    password: str
    agencies: tuple[str, ...] = ()


@dataclass
class DemoReport:
    """What a run of the demo loaded: each import's report, plans left closed, accounts."""

    imports: list[tuple[str, ImportReport]] = field(default_factory=list)
    kept_closed: list[Plan] = field(default_factory=list)
    plans_changed: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


def demo_load(*, accounts: bool = True) -> DemoReport:
    """Load or refresh the demo; with ``accounts``, (re)create the demo accounts too.

    Raise ``plans.services.imports.ImportRefused`` if a demo file is refused (nothing written).
    """
    report = DemoReport()
    agencies = builder.demo_agencies()
    with transaction.atomic():
        report.imports.append(
            (_("Đơn vị"), agencies_import(source=builder.agencies_source(), channel=DEMO))
        )
        report.imports.append(
            (
                _("Chỉ tiêu kế hoạch"),
                targets_import(source=builder.targets_csv().encode(), channel=DEMO),
            )
        )
        provinces = {p.code: p for p in Province.objects.filter(
            code__in=[spec.province_code for spec in builder.PLANS]
        )}
        results = builder.demo_results(agencies)
        for spec in builder.PLANS:
            province = provinces[spec.province_code]
            plan, changed = demo_plan_describe(spec=spec, province=province)
            report.plans_changed += changed
            if plan.is_closed:
                report.kept_closed.append(plan)
                continue
            label = _("Kết quả mẫu %(province)s %(year)s") % {
                "province": province.name,
                "year": spec.year,
            }
            source = builder.results_csv(results[spec.province_code, spec.year]).encode()
            report.imports.append(
                (label, results_import(source=source, channel=DEMO, is_sample=True))
            )
            if spec.closed:
                # Closed once its results are in: a past year, reviewed.
                plan.status = Plan.Status.CLOSED
                plan_status_record(plan=plan, old_status=Plan.Status.OPEN, user=None,
                                   channel=DEMO)
                report.plans_changed += 1
        demo_merger_load(report=report, agencies=agencies)
        if accounts:
            report.accounts = [
                demo_account_reset(
                    username=username, role=role, province_codes=codes, agency_codes=agencies
                )
                for username, role, codes, agencies in DEMO_ACCOUNTS
            ]
    return report


def demo_merger_load(*, report: DemoReport, agencies) -> None:
    """Load the merged An Giang (plans.demo.merger): its agencies, the merger, its 2026 plan,
    the communes' results back to 2016, and both provinces' programmes."""
    report.imports.append(
        (_("Đơn vị tỉnh An Giang"),
         agencies_import(source=merger.agencies_csv().encode(), channel=DEMO))
    )
    report.imports.append(
        (_("Tỉnh và sáp nhập"), provinces_import(source=merger.provinces_csv().encode()))
    )
    report.imports.append(
        (_("Chỉ tiêu kế hoạch"),
         targets_import(source=builder.targets_csv([merger.AN_GIANG_2026]).encode(),
                        channel=DEMO))
    )
    plan, changed = demo_plan_describe(
        spec=merger.AN_GIANG_2026, province=Province.objects.get(code=merger.AN_GIANG)
    )
    report.plans_changed += changed
    results = merger.trend_results(agencies + merger.an_giang_agencies())
    results += merger.services_results(agencies + merger.an_giang_agencies())
    results += merger.an_giang_2026_results()
    report.imports.append(
        (_("Kết quả mẫu các xã trên địa bàn An Giang"),
         results_import(source=builder.results_csv(results).encode(), channel=DEMO,
                        is_sample=True))
    )
    report.imports.append(
        (_("Chương trình nhiều năm"),
         programmes_import(source=merger.programmes_csv().encode()))
    )


def demo_plan_describe(*, spec: builder.DemoPlan, province: Province) -> tuple[Plan, bool]:
    """Return the plan of ``spec`` with its title, tasks and sample mark, and whether it changed.

    A plan the demo finds missing (Hưng Yên 2017 has no targets, so no import created it) is
    created; a draft is opened, as the plans of the articles were adopted. Each change leaves a
    Change row; a plan already as described is not written.
    """
    wanted = {"title": spec.title, "tasks": spec.tasks, "is_sample": spec.is_sample,
              "document_date": spec.document_date, "report_deadline": spec.report_deadline}
    plan = Plan.objects.filter(province=province, year=spec.year).first()
    changed = False
    if plan is None:
        plan = Plan(province=province, year=spec.year, status=Plan.Status.DRAFT, **wanted)
        plan.full_clean()
        plan.save()
        change_record(
            subject=plan, user=None, channel=DEMO, old=None,
            new={"province": province.code, "year": plan.year, "status": plan.status,
                 **_json(wanted)},
        )
        changed = True
    else:
        old = {name: getattr(plan, name) for name in wanted}
        if old != wanted:
            for name, value in wanted.items():
                setattr(plan, name, value)
            plan.full_clean()
            plan.save(update_fields=list(wanted))
            differs = [name for name in wanted if old[name] != wanted[name]]
            change_record(
                subject=plan, user=None, channel=DEMO,
                old=_json({name: old[name] for name in differs}),
                new=_json({name: wanted[name] for name in differs}),
            )
            changed = True
    if plan.status == Plan.Status.DRAFT:
        plan.status = Plan.Status.OPEN
        plan_status_record(plan=plan, old_status=Plan.Status.DRAFT, user=None, channel=DEMO)
        changed = True
    return plan, changed


def _json(values: dict) -> dict:
    """Return ``values`` with dates as ISO text, for a Change's JSON."""
    return {name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in values.items()}


def demo_account_reset(
    *, username: str, role: str, province_codes, agency_codes=()
) -> DemoAccount:
    """Create the demo account ``username`` or bring it back to its role (provinces, agencies),
    giving a new password.

    The password is generated each time and returned, to be shown once; the e-mail address
    is ``<username>@example.org``.
    """
    password = password_generate()
    email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        account_create(
            username=username, role=role, province_codes=province_codes, password=password,
            agency_codes=agency_codes, email=email,
        )
    else:
        user.set_password(password)
        user.is_active = True
        user.is_staff = user.is_superuser = role == Profile.Role.ADMIN
        user.email = email
        user.save(update_fields=["password", "is_active", "is_staff", "is_superuser", "email"])
        profile, _created = Profile.objects.update_or_create(user=user, defaults={"role": role})
        profile.provinces.set(Province.objects.filter(code__in=province_codes))
        profile.agencies.set(Agency.objects.filter(code__in=agency_codes))
    return DemoAccount(
        username=username, role=role, provinces=tuple(province_codes), password=password,
        agencies=tuple(agency_codes),
    )
