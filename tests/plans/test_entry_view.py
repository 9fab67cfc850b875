"""entry_view hands every entry page its plan, its agency and whether it is read-only, once
(issue 18, item 3)."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Plan
from plans.services.submissions import submission_submit
from plans.views.decorators import Entry, entry_view
from tests.factories import make_result


def agency_url(code="91-SNV"):
    return reverse("plans:entry_agency", args=["91", 2017, code])


@pytest.fixture
def seen():
    """A view that keeps what entry_view handed it."""
    handed = {}

    @entry_view("GET", reporters=True, active_agency=True)
    def view(request, entry, **kwargs):
        handed.update(entry=entry, kwargs=kwargs, read_only=entry.read_only)
        return HttpResponse("ok")

    return view, handed


def call(view, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    return view(request, province_code="91", year=2017, **kwargs)


def test_it_hands_the_plan_the_named_agency_and_nothing_read_only(seen, officer_a, plan_a,
                                                                  agencies_a):
    view, handed = seen
    assert call(view, officer_a, agency_code="91-SNV", other="x").status_code == 200
    entry = handed["entry"]
    assert isinstance(entry, Entry)
    assert (entry.plan, entry.agency.code) == (plan_a, "91-SNV")
    # The name people are shown, looked up with the agency.
    assert entry.agency.display_name == "Sở Nội vụ"
    assert handed["kwargs"] == {"other": "x"} and handed["read_only"] == ""


def test_without_an_agency_in_the_url_it_hands_none(seen, officer_a, plan_a):
    view, handed = seen
    call(view, officer_a)
    assert handed["entry"].agency is None


def test_a_closed_plan_is_read_only_for_everyone(seen, officer_a, plan_a, agencies_a):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED)
    view, handed = seen
    call(view, officer_a, agency_code="91-SNV")
    assert handed["read_only"].startswith("Kế hoạch năm 2017 của tỉnh Kiên Giang đã tổng kết")


def test_a_submitted_report_is_read_only_for_its_reporter_not_for_officers(
    seen, officer_a, reporter_a, plan_a, agencies_a, indicator
):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    submission_submit(plan=plan_a, agency=agencies_a["91-SNV"], user=reporter_a,
                      expected_version=0)
    view, handed = seen
    call(view, reporter_a, agency_code="91-SNV")
    assert "đã được gửi và đang chờ duyệt" in handed["read_only"]
    call(view, officer_a, agency_code="91-SNV")
    assert handed["read_only"] == ""


def test_an_agency_not_active_in_the_year_is_404_where_figures_are_entered(
    client, officer_a, plan_a, agencies_a
):
    agencies_a["91-SNV"].__class__.objects.filter(code="91-SNV").update(active_to=2016)
    client.force_login(officer_a)
    assert client.get(agency_url()).status_code == 404
    # Its history stays readable.
    assert client.get(reverse("plans:entry_history", args=["91", 2017, "91-SNV"])).status_code \
        == 200


def test_a_reporters_agency_is_fetched_once(client, reporter_a, plan_a, agencies_a):
    client.force_login(reporter_a)
    client.get(agency_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(agency_url()).status_code == 200
    agency_reads = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith('SELECT "plans_agency"."id", "plans_agency"."province_id"')
    ]
    assert len(agency_reads) == 1
