"""The indicator admin: its definitions are edited with the rest of the indicator."""

from django.urls import reverse

from indicators.models import Indicator
from tests.factories import login


def test_it_edits_the_definitions_in_the_admin(client, admin_user, indicator):
    lan = indicator("LAN")
    change_url = reverse("admin:indicators_indicator_change", args=[lan.pk])
    login(client, admin_user)
    page = client.get(change_url)
    assert page.status_code == 200
    for field in ("concept_vi", "concept_en", "legal_basis_vi", "source_en"):
        assert f'name="{field}"' in page.content.decode()
    assert "Dữ liệu đặc tả" in page.content.decode()
    data = {field: page.context["adminform"].form.initial.get(field, "")
            for field in page.context["adminform"].form.fields}
    data.update(concept_vi="Khái niệm mới.", legal_basis_en="New legal basis.")
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lan.refresh_from_db()
    assert lan.concept_vi == "Khái niệm mới."
    assert lan.legal_basis_en == "New legal basis."
    # The page the admin links to ("View on site") is the definitions page.
    assert Indicator.objects.get(pk=lan.pk).get_absolute_url() == "/indicators/LAN/"
