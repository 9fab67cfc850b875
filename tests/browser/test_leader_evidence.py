"""A leader reads an agency in real Chromium: from a target's page, through the agency's
read-only page, to its evidence file, downloaded."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse

from indicators.models import Indicator
from plans.models import Evidence, Result, Target

SHOTS = Path("/work/wt/shots-i19")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalogue(transactional_db):
    """Install the indicator catalogue if the previous test's flush took it away."""
    if not Indicator.objects.exists():
        catalogue = importlib.import_module("indicators.migrations.0002_standard_catalogue")
        catalogue.install(apps, None)


def test_a_leader_opens_evidence_from_the_target_page(
    page, live_server, login, leader_a, officer_a, plan_a, agencies_a, indicator, settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    target = Target.objects.create(plan=plan_a, indicator=email, tiers="department",
                                   comparator=">=", value=80)
    Result.objects.create(year=2017, agency=snv, indicator=email, numerator=40, denominator=50)
    evidence = Evidence(agency=snv, year=2017, indicator=email, original_name="bien-ban.pdf",
                        size=9, content_type="application/pdf", sha256="0" * 64,
                        uploaded_by=officer_a)
    evidence.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    login(page, live_server, leader_a)

    page.goto(live_server.url + reverse("plans:dashboard_target", args=["91", 2017, target.pk]))
    page.get_by_role("link", name="1 tệp").click()

    assert page.url.endswith(
        reverse("plans:dashboard_agency", args=["91", 2017, "91-SNV"]) + "#evidence"
    )
    main = page.locator("main").inner_text()
    assert "Sở Nội vụ: báo cáo năm 2017" in main
    assert "40/50" in main
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"leader-agency-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    with page.expect_download() as download:
        page.get_by_role("link", name="bien-ban.pdf").click()
    path = tmp_path / "downloaded.pdf"
    download.value.save_as(path)
    assert path.read_bytes() == b"%PDF-1.4\n"
