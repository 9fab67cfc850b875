"""Hostile text (an agency name, a result note, a plan's title and tasks) is shown escaped.

Names and notes arrive from uploaded files and the admin; on every page that shows them they
must appear as text (``&lt;script&gt;``), never as markup (``<script>``).
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from plans.models import Change

HOSTILE_NAME = '<script>alert(1)</script> & "Sở"'
HOSTILE_NOTE = "<img src=x onerror=alert(1)>"
HOSTILE_TITLE = "<b onmouseover=alert(2)>Kế hoạch</b> <iframe src=//evil.example>"
HOSTILE_TASK = "<svg onload=alert(3)> Triển khai"
RAW_MARKUP = ("<script>alert(1)", "<img src=x", "<b onmouseover", "<iframe", "<svg onload")


@pytest.fixture
def hostile(world, agencies_a, officer_a):
    """The world with a hostile name on two department agencies (one reported, one not),
    a hostile note on the result and in its history, and a hostile plan title and task."""
    for code in ("91-SNV", "91-STTTT"):
        agencies_a[code].name = f"{HOSTILE_NAME} {code}"
        agencies_a[code].save()
    result = world.result
    result.note = HOSTILE_NOTE
    result.save()
    Change.objects.create(
        result=result, plan=world, changed_by=officer_a, channel=Change.Channel.AGENCY,
        old={"numerator": 40, "denominator": 50}, new=result.as_dict(),
    )
    world.title = HOSTILE_TITLE
    world.tasks = HOSTILE_TASK
    world.save()
    return world


def entry(name, *args):
    return reverse(f"plans:{name}", args=["91", 2017, *args])


# Page -> the hostile texts it shows (escaped).
PAGES = {
    "entry_year": (lambda w: entry("entry_year"), [HOSTILE_NAME]),
    "entry_grid": (lambda w: entry("entry_grid", "department") + "?notes=1",
                   [HOSTILE_NAME, HOSTILE_NOTE]),
    "entry_agency": (lambda w: entry("entry_agency", "91-SNV"), [HOSTILE_NAME, HOSTILE_NOTE]),
    "entry_history": (lambda w: entry("entry_history", "91-SNV"),
                      [HOSTILE_NAME, HOSTILE_NOTE]),
    "entry_upload": (lambda w: entry("entry_upload"), []),
    "dashboard_plan": (lambda w: reverse("plans:dashboard_plan", args=["91", 2017]),
                       [HOSTILE_TITLE]),
    "dashboard_target": (
        lambda w: reverse("plans:dashboard_target", args=["91", 2017, w.target.pk]),
        [HOSTILE_NAME],
    ),
    "dashboard_report": (lambda w: reverse("plans:dashboard_report", args=["91", 2017]),
                         [HOSTILE_TITLE, HOSTILE_TASK]),
    "dashboard_trend": (
        lambda w: reverse("plans:dashboard_trend", args=["91", "OFFICIAL_EMAIL"]), []
    ),
    "dashboard_compare": (lambda w: reverse("plans:dashboard_compare", args=[2017]), []),
    "dashboard_index": (lambda w: reverse("plans:dashboard_index"), []),
    "home": (lambda w: reverse("plans:home"), [HOSTILE_TITLE]),
    "admin_agencies": (lambda w: reverse("admin:plans_agency_changelist"), [HOSTILE_NAME]),
    "admin_agency": (
        lambda w: reverse("admin:plans_agency_change", args=[w.result.agency_id]),
        [HOSTILE_NAME],
    ),
    "admin_results": (lambda w: reverse("admin:plans_result_changelist"), [HOSTILE_NAME]),
    "admin_result": (
        lambda w: reverse("admin:plans_result_change", args=[w.result.pk]), [HOSTILE_NOTE]
    ),
    "admin_plans": (lambda w: reverse("admin:plans_plan_changelist"), [HOSTILE_TITLE]),
    "admin_plan": (
        lambda w: reverse("admin:plans_plan_change", args=[w.pk]), [HOSTILE_TITLE]
    ),
    "admin_changes": (lambda w: reverse("admin:plans_change_changelist"), [HOSTILE_NOTE]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_it_shows_hostile_text_escaped_and_never_as_markup(client, hostile, admin_user, page):
    client.force_login(admin_user)
    url, shown = PAGES[page]
    response = client.get(url(hostile))
    assert response.status_code == 200
    body = response.content.decode()
    for raw in RAW_MARKUP:
        assert raw not in body, f"{page} shows {raw!r} unescaped"
    for text in shown:
        assert escape(text) in body, f"{page} does not show {text!r} (escaped)"


@pytest.mark.parametrize("page", ["entry_grid", "entry_agency", "entry_history", "entry_year"])
def test_it_shows_hostile_text_escaped_to_the_officer_too(client, hostile, officer_a, page):
    client.force_login(officer_a)
    url, shown = PAGES[page]
    body = client.get(url(hostile)).content.decode()
    assert not any(raw in body for raw in RAW_MARKUP)
    assert all(escape(text) in body for text in shown)


def test_it_escapes_hostile_text_in_the_upload_preview(client, hostile, officer_a):
    """A refused file's errors quote what the file said: escaped."""
    client.force_login(officer_a)
    content = (
        "year,agency_code,indicator_code,value,numerator,denominator,note\n"
        f"2017,<script>alert(1)</script>,LAN,1,,,{HOSTILE_NOTE}\n"
        f"2017,91-SNV,<img src=x onerror=alert(1)>,1,,,\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        entry("entry_upload"), {"file": SimpleUploadedFile("kq.csv", content, "text/csv")}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert not any(raw in body for raw in RAW_MARKUP)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
