"""Who may attach, download and delete evidence files, and how a file is found: through its
province, year and agency, never by its id alone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from plans.models import Evidence, Plan, Profile
from plans.services.evidence import evidence_add
from tests import evidence_files as files
from tests.conftest import make_user
from tests.security.conftest import row_counts


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(plan_a, agencies_a, officer_a):
    return evidence_add(agency=agencies_a["91-SNV"], year=2017, indicator=None,
                        file=io.BytesIO(files.PDF), original_name="kế hoạch.pdf",
                        description="", user=officer_a)


@pytest.fixture
def evidence_b(plan_b, agencies_b, officer_b):
    return evidence_add(agency=agencies_b["33-SNV"], year=2017, indicator=None,
                        file=io.BytesIO(files.PNG), original_name="hy.png",
                        description="", user=officer_b)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def download_url(evidence, *, province="91", year=2017, agency="91-SNV"):
    return reverse("plans:entry_evidence", args=[province, year, agency, evidence.pk])


def delete_url(evidence, *, province="91", agency="91-SNV"):
    return reverse("plans:entry_evidence_delete", args=[province, 2017, agency, evidence.pk])


def add(client, province="91", agency="91-SNV"):
    return client.post(
        reverse("plans:entry_evidence_add", args=[province, 2017, agency]),
        {"file": SimpleUploadedFile("a.pdf", files.PDF), "indicator": "", "description": ""},
    )


@pytest.mark.parametrize("who", ["officer_a", "leader_a", "admin_user"])
def test_it_lets_every_reader_of_the_province_download(request, evidence, who):
    response = client_for(request.getfixturevalue(who)).get(download_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_leader_of_all_provinces_downloads_too(evidence):
    leader = make_user("leader_all", Profile.Role.LEADER)
    leader.profile.all_provinces = True
    leader.profile.save()
    assert client_for(leader).get(download_url(evidence)).status_code == 200


def test_it_answers_404_to_another_provinces_officer(evidence, officer_b):
    response = client_for(officer_b).get(download_url(evidence))
    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in_even_with_public_dashboards(
    evidence, settings
):
    settings.PUBLIC_DASHBOARD = True
    response = Client().get(download_url(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_404_to_a_user_without_a_role_even_with_public_dashboards(
    evidence, settings, django_user_model
):
    settings.PUBLIC_DASHBOARD = True
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    assert client_for(nobody).get(download_url(evidence)).status_code == 404


@pytest.mark.parametrize("path", [
    {"province": "33"},                      # the file under another province
    {"agency": "91-STTTT"},                  # under another agency of the same province
    {"year": 2018},                          # under another year
])
def test_it_finds_a_file_only_through_its_owner(evidence, officer_a, admin_user, plan_b,
                                               path):
    for user in (officer_a, admin_user):
        assert client_for(user).get(download_url(evidence, **path)).status_code == 404


def test_it_does_not_reach_another_provinces_file_through_ones_own_address(
    evidence, evidence_b, officer_a
):
    """Province A's officer, at A's address with B's file id: 404, not B's file."""
    response = client_for(officer_a).get(download_url(evidence_b))
    assert response.status_code == 404
    response = client_for(officer_a).post(delete_url(evidence_b))
    assert response.status_code == 404
    assert Evidence.objects.filter(pk=evidence_b.pk).exists()


def test_a_draft_plans_files_are_hidden_from_leaders_not_from_officers(
    evidence, officer_a, leader_a
):
    Plan.objects.filter(pk=evidence.agency.province.plans.get().pk).update(
        status=Plan.Status.DRAFT
    )
    assert client_for(leader_a).get(download_url(evidence)).status_code == 404
    assert client_for(officer_a).get(download_url(evidence)).status_code == 200


def test_a_leader_reads_but_neither_adds_nor_deletes(evidence, leader_a, plan_a, agencies_a):
    client = client_for(leader_a)
    before = row_counts()
    assert add(client).status_code == 403
    assert client.get(delete_url(evidence)).status_code == 403
    assert client.post(delete_url(evidence)).status_code == 403
    assert row_counts() == before
    assert client.get(download_url(evidence)).status_code == 200
    # The agency page is an entry page: leaders read figures on the dashboards.
    page = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]))
    assert page.status_code == 403


def test_another_provinces_officer_neither_adds_nor_deletes(evidence, officer_b, plan_a,
                                                           agencies_a):
    client = client_for(officer_b)
    before = row_counts()
    assert add(client).status_code == 404
    assert client.get(delete_url(evidence)).status_code == 404
    assert client.post(delete_url(evidence)).status_code == 404
    assert row_counts() == before


def test_an_anonymous_visitor_is_sent_to_log_in_for_every_evidence_address(evidence):
    client = Client()
    for response in (add(client), client.get(delete_url(evidence)),
                     client.post(delete_url(evidence)), client.get(download_url(evidence))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("who", ["officer_a", "admin_user"])
def test_officers_and_admins_add_and_delete(request, plan_a, agencies_a, who):
    client = client_for(request.getfixturevalue(who))
    assert add(client).status_code == 302
    evidence = Evidence.objects.get()
    assert client.post(delete_url(evidence)).status_code == 302
    assert not Evidence.objects.exists()


def test_an_admin_may_attach_files_to_a_draft(plan_a, agencies_a, admin_user, officer_a):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.DRAFT)
    assert add(client_for(officer_a)).status_code == 409
    assert add(client_for(admin_user)).status_code == 302


def test_a_closed_plans_files_stay_readable_and_cannot_be_deleted(evidence, officer_a,
                                                                  admin_user):
    Plan.objects.filter(year=2017, province__code="91").update(status=Plan.Status.CLOSED)
    for user in (officer_a, admin_user):
        client = client_for(user)
        assert client.get(download_url(evidence)).status_code == 200
        assert client.post(delete_url(evidence)).status_code == 409
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_no_public_address_serves_the_files(evidence):
    """No MEDIA_URL route: the stored name is not an address of the site."""
    from django.conf import settings

    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    for prefix in ("/media/", "/", "/static/"):
        response = Client().get(prefix + evidence.file.name)
        assert response.status_code in (302, 404)
        assert files.PDF not in response.content


def test_a_reporter_attaches_downloads_and_deletes_its_agencys_files(
    reporter_a, plan_a, agencies_a
):
    client = client_for(reporter_a)
    assert add(client).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by == reporter_a
    response = client.get(download_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert client.get(delete_url(evidence)).status_code == 200
    assert client.post(delete_url(evidence)).status_code == 302
    assert not Evidence.objects.exists()


def test_a_reporter_reads_its_agencys_files_in_a_draft_as_its_agency_page(
    evidence, reporter_a, plan_a
):
    """Its agency page shows a draft read-only; the files behind it are readable too."""
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.DRAFT)
    assert client_for(reporter_a).get(download_url(evidence)).status_code == 200


def test_a_reporter_gets_404_for_another_agencys_file_and_403_to_change_it(
    officer_a, reporter_a, plan_a, agencies_a
):
    """reporter_a reports for 91-SNV only: 91-STTTT's file is not its to read (404, as for
    anyone who may not read it) nor to change (403, as 91-STTTT's agency page answers)."""
    other = evidence_add(agency=agencies_a["91-STTTT"], year=2017, indicator=None,
                         file=io.BytesIO(files.PDF), original_name="khác.pdf",
                         description="", user=officer_a)
    client = client_for(reporter_a)
    before = row_counts()
    assert client.get(download_url(other, agency="91-STTTT")).status_code == 404
    assert client.get(reverse("plans:entry_agency", args=["91", 2017, "91-STTTT"])
                      ).status_code == 403
    assert add(client, agency="91-STTTT").status_code == 403
    assert client.get(delete_url(other, agency="91-STTTT")).status_code == 403
    assert client.post(delete_url(other, agency="91-STTTT")).status_code == 403
    # The other file's id under its own agency's address is not the other file either.
    assert client.get(download_url(other)).status_code == 404
    assert client.post(delete_url(other)).status_code == 404
    assert row_counts() == before


def test_a_reporter_of_another_agency_gets_404_for_this_agencys_file(evidence, province_a,
                                                                     agencies_a):
    reporter = make_user("reporter_sttttt", Profile.Role.REPORTER, [province_a],
                         [agencies_a["91-STTTT"]])
    client = client_for(reporter)
    assert client.get(download_url(evidence)).status_code == 404
    assert client.post(delete_url(evidence)).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_another_provinces_reporter_gets_404(evidence, province_b, agencies_b):
    reporter = make_user("reporter_b", Profile.Role.REPORTER, [province_b],
                         [agencies_b["33-SNV"]])
    client = client_for(reporter)
    assert client.get(download_url(evidence)).status_code == 404
    assert client.post(delete_url(evidence)).status_code == 404
    assert add(client).status_code == 404
