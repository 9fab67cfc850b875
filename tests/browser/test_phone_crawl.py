"""Every page a reporter, an officer or a leader opens fits a 390 px phone: crawled at 390×844
on the demo, ``document.documentElement.scrollWidth <= 390`` on each (a wide table may scroll
inside its own box, never the page)."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from plans.models import Agency, Evidence, Plan, Profile, Province, Submission, Target
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WIDTH, HEIGHT = 390, 844
SHOTS = Path("/work/wt/shots-i19")
# The pages issue 19 changed, photographed at a phone's and a desk's width for people to look
# at: (role, URL name, arguments), each saved as <role>-<URL name>-<width>.png.
PHOTOGRAPHED = [
    ("reporter", "plans:home", ()),
    ("reporter", "plans:entry_agency", ("91", 2017, "91-SNV")),
    ("officer", "plans:entry_close", ("91", 2017)),
    ("officer", "plans:entry_agency", ("91", 2017, "91-SNV")),
    ("officer", "plans:dashboard_plan", ("91", 2017)),
    ("leader", "plans:dashboard_agency", ("91", 2017, "91-SNV")),
    ("leader", "plans:dashboard_trend", ("91", "SPECIALIZED_NETWORK")),
    ("leader", "plans:dashboard_report", ("91", 2017)),
]
# The outermost elements that reach past the screen's right edge, to say what to fix.
WIDEST = """() => {
  const past = (e) => e && e.getBoundingClientRect().right > innerWidth + 0.5;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (past(e) && !past(e.parentElement)) {
      const right = Math.round(e.getBoundingClientRect().right);
      out.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${right}`);
    }
  }
  return out.slice(0, 5).join('; ');
}"""


@pytest.fixture
def demo(settings, tmp_path):
    """The demo, a reporter of Sở Nội vụ, its report submitted and one evidence file."""
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    kien_giang = Province.objects.get(code="91")
    snv = Agency.objects.get(code="91-SNV")
    users = {
        "officer": make_user("canbo_kg", Profile.Role.OFFICER, [kien_giang]),
        "leader": make_user("lanhdao_kg", Profile.Role.LEADER, [kien_giang]),
        "reporter": make_user("baocao_snv", Profile.Role.REPORTER, [kien_giang], [snv]),
    }
    plan = Plan.objects.get(province=kien_giang, year=2017)
    Submission.objects.create(plan=plan, agency=snv, state=Submission.State.RETURNED,
                              return_reason="Thiếu số liệu thư điện tử công vụ của quý IV")
    evidence = Evidence(agency=snv, year=2017, original_name="bien-ban-kiem-tra-2017.pdf",
                        size=9, content_type="application/pdf", sha256="0" * 64,
                        uploaded_by=users["officer"])
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    target = Target.objects.filter(plan=plan).order_by("position").first()
    return users, target


def pages_of(role: str, target) -> list[str]:
    entry = ("91", 2017)
    snv = (*entry, "91-SNV")
    common = [
        reverse("plans:home"),
        reverse("password_change"),
        reverse("plans:dashboard_index"),
        reverse("plans:dashboard_plan", args=entry),
        reverse("plans:dashboard_target", args=[*entry, target.pk]),
        reverse("plans:dashboard_trend", args=["91", target.indicator.code]),
        reverse("plans:dashboard_report", args=entry),
        reverse("plans:dashboard_agency", args=snv),
        reverse("indicators:definition", args=[target.indicator.code]),
    ]
    own_agency = [
        reverse("plans:entry_agency", args=snv),
        reverse("plans:entry_history", args=snv),
        reverse("plans:entry_evidence_add", args=snv),
        reverse("plans:entry_upload", args=entry),
    ]
    if role == "leader":
        return common
    if role == "reporter":
        return common + own_agency
    return common + own_agency + [
        reverse("plans:entry_year", args=entry),
        reverse("plans:entry_grid", args=[*entry, "department"]),
        reverse("plans:entry_grid", args=[*entry, "commune"]),
        reverse("plans:status_board", args=entry),
        reverse("plans:entry_close", args=entry),
        reverse("plans:entry_result_clear", args=[*snv, "OFFICIAL_EMAIL"]),
    ]


def test_every_page_of_each_role_fits_a_phone(browser, live_server, login, demo):
    users, target = demo
    too_wide = []
    for role, user in users.items():
        context = browser.new_context(locale="vi-VN", viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        login(page, live_server, user)
        for path in pages_of(role, target):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, (role, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append((role, path, width, page.evaluate(WIDEST)))
        context.close()
    assert too_wide == []


def test_the_changed_pages_photographed(browser, live_server, login, demo):
    users, _target = demo
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((WIDTH, HEIGHT), (1366, 900)):
        for role, user in users.items():
            context = browser.new_context(locale="vi-VN",
                                          viewport={"width": width, "height": height})
            page = context.new_page()
            login(page, live_server, user)
            for shot_role, name, args in PHOTOGRAPHED:
                if shot_role != role:
                    continue
                assert page.goto(live_server.url + reverse(name, args=args)).status == 200
                label = name.split(":")[-1]
                page.screenshot(path=str(SHOTS / f"{role}-{label}-{width}.png"), full_page=True)
            context.close()
