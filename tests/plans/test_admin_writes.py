"""The admin writes plans and targets through the services, with the history every channel
leaves (issue 18, item 5), and records only what changed (issue 19, item 7)."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.models import Change, Target
from plans.services import plans as plan_services
from tests.plans.test_admin import form_data


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def targets(plan_a, indicator):
    made = []
    for position, (code, tiers, value, unit) in enumerate([
        ("LAN", "department+district", "100", "percent"),
        ("OFFICIAL_EMAIL", "department", "80.5", "percent"),
        ("PUBLIC_SERVICES_L4", "province", "3", "count"),
    ]):
        made.append(Target.objects.create(
            plan=plan_a, indicator=indicator(code), tiers=tiers, value=Decimal(value),
            unit=unit, position=position, note="theo kế hoạch",
        ))
    return made


def test_an_unchanged_save_records_nothing_in_either_history(admin_client_, plan_a, targets):
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")

    response = admin_client_.post(url, data)

    assert response.status_code == 302
    assert not Change.objects.exists()
    # Django's own history of the page says no field changed, naming no target.
    entry = LogEntry.objects.get(object_id=str(plan_a.pk))
    assert entry.get_change_message().rstrip(".") in (
        "No fields changed", "Không có trường nào thay đổi"
    )


def test_a_changed_target_alone_is_recorded(admin_client_, plan_a, targets):
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")
    data["targets-1-value"] = "85"

    admin_client_.post(url, data)

    [change] = Change.objects.all()
    assert (change.target, change.channel) == (targets[1], "admin")
    assert (change.old["value"], change.new["value"]) == ("80.5", "85")
    entry = LogEntry.objects.get(object_id=str(plan_a.pk))
    assert entry.get_change_message().count("Giá trị") + entry.get_change_message().count(
        "Value") == 1


def test_the_admin_saves_targets_through_the_service(admin_client_, plan_a, targets,
                                                     monkeypatch):
    calls = []
    real = plan_services.targets_save

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr("plans.admin.planning.targets_save", spy)
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")
    data["targets-0-value"] = "90"
    data["targets-2-DELETE"] = "on"

    admin_client_.post(url, data)

    [call] = calls
    assert [t.pk for t in call["saved"]] == [targets[0].pk]
    assert [t.pk for t in call["deleted"]] == [targets[2].pk]
    assert not Target.objects.filter(pk=targets[2].pk).exists()
    assert {(c.target_id, c.new is None) for c in Change.objects.all()} == {
        (targets[0].pk, False), (None, True),
    }


def test_the_service_saves_targets_and_their_history_all_or_nothing(plan_a, targets,
                                                                     admin_user):
    lan, email, _count = targets
    lan.value = Decimal("90")
    email.tiers = "nonsense"
    with pytest.raises(ValidationError):
        plan_services.targets_save(plan=plan_a, saved=[lan, email], deleted=[],
                                   user=admin_user)
    lan.refresh_from_db()
    assert lan.value == Decimal("100")
    assert not Change.objects.exists()
