"""The vocabulary (egov_targets.vocabulary) is the data contract's: docs/FORMATS.md, word for word.

The tables of docs/FORMATS.md (tiers, kinds, the standard catalogue) and the sentences that list the
comparators, units, statuses, groups and roles are read here, and each enumeration must hold
exactly their words; the models, constraints and progress module must use those enumerations.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.db.models import CheckConstraint, Q
from django.utils import translation

from egov_targets import vocabulary
from egov_targets.vocabulary import Comparator, Group, Kind, PlanStatus, Role, Status, Tier, Unit
from indicators.models import Indicator
from plans.models import Agency, Plan, Profile, Target
from plans.rules import progress
from plans.rules.tiers import TIER_ORDER

FORMATS = (Path(__file__).resolve().parent.parent / "docs" / "FORMATS.md").read_text("utf-8")


def section(heading: str) -> str:
    """Return the text under ``## heading`` up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", FORMATS, re.M | re.S)
    assert match, f"docs/FORMATS.md has no section {heading!r}"
    return match.group(1)


def table(heading: str) -> list[list[str]]:
    """Return the rows of the first table under ``heading``, cells stripped of backticks."""
    lines = [line for line in section(heading).splitlines() if line.startswith("|")]
    # The header row and the |---| row.
    rows = lines[2:]
    assert rows, f"no table under {heading!r}"
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in rows]


def quoted(text: str) -> list[str]:
    """Return the `quoted` words of ``text``, in order, each once."""
    return list(dict.fromkeys(re.findall(r"`([^`]+)`", text)))


def sentence(heading: str, pattern: str) -> str:
    match = re.search(pattern, section(heading), re.S)
    assert match, f"{pattern!r} not found under {heading!r}"
    return match.group(1)


def test_it_keeps_the_tiers_of_the_tiers_table_in_their_order():
    rows = table("Tiers")

    assert Tier.values == [row[0] for row in rows]
    assert TIER_ORDER == Tier.values
    with translation.override("vi"):
        assert [str(tier.label) for tier in Tier] == [row[1] for row in rows]


def test_it_keeps_the_kinds_of_the_kinds_table():
    assert Kind.values == [row[0] for row in table("Indicator kinds")]


def test_it_keeps_the_comparators_of_the_targets_section():
    words = quoted(sentence("Targets and how progress is computed", r"a comparator \(([^;]*);"))

    assert Comparator.values == words == [">=", ">", "<=", "<"]


def test_it_keeps_the_units_of_the_targets_section():
    words = quoted(
        sentence("Targets and how progress is computed", r"a unit:(.*?)\. A `count` indicator")
    )

    assert Unit.values == words == ["percent", "count"]


def test_it_keeps_the_statuses_of_the_progress_rules():
    bullet = sentence("Targets and how progress is computed", r"\n- `status` is (.*?)\n- ")
    words = quoted(bullet)

    assert sorted(Status.values) == sorted(words)
    assert len(words) == 3


def test_it_keeps_the_groups_of_the_catalogue():
    words = quoted(sentence("The standard catalogue", r"\nGroups: (.*?)\.\n"))

    assert Group.values == words


def test_it_keeps_the_roles_of_create_account():
    roles = sentence("Commands", r"--role ([a-z|]+)").split("|")

    assert Role.values == roles


def test_it_installs_the_catalogue_of_formats_md():
    migration = importlib.import_module("indicators.migrations.0002_standard_catalogue")
    documented = [tuple(row[:3]) for row in table("The standard catalogue")]

    assert [row[:3] for row in migration.CATALOGUE] == documented
    assert {kind for _, kind, _ in documented} <= set(Kind.values)
    assert {group for _, _, group in documented} <= set(Group.values)


@pytest.mark.django_db
def test_it_finds_the_catalogue_installed_in_the_database():
    documented = {tuple(row[:3]) for row in table("The standard catalogue")}
    codes = [code for code, _, _ in documented]

    installed = set(
        Indicator.objects.filter(code__in=codes).values_list("code", "kind", "group")
    )

    assert installed == documented


def test_it_defines_each_word_once_and_the_models_use_it():
    assert Indicator.Kind is Kind
    assert Indicator.Group is Group
    assert Agency.Tier is Tier
    assert Target.Unit is Unit
    assert Target.Comparator is Comparator
    assert Plan.Status is PlanStatus
    assert Profile.Role is Role
    assert progress.Status is Status
    assert progress.KINDS == tuple(Kind.values)
    assert progress.UNITS == tuple(Unit.values)
    assert progress.COMPARATORS == tuple(Comparator.values)


def test_it_has_no_word_twice():
    for name in ("Tier", "Kind", "Group", "Unit", "Comparator", "Status", "PlanStatus", "Role"):
        choices = getattr(vocabulary, name)
        assert len(set(choices.values)) == len(choices.values), name


def _constraint(model, name) -> Q:
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    assert isinstance(constraint, CheckConstraint)
    return constraint.condition


@pytest.mark.parametrize(
    "model, name, lookup, words",
    [
        (Indicator, "indicator_kind_valid", "kind__in", Kind),
        (Indicator, "indicator_group_valid", "group__in", Group),
        (Agency, "agency_tier_valid", "tier__in", Tier),
        (Target, "target_comparator_valid", "comparator__in", Comparator),
        (Target, "target_unit_valid", "unit__in", Unit),
        (Plan, "plan_status_valid", "status__in", PlanStatus),
        (Profile, "profile_role_valid", "role__in", Role),
    ],
)
def test_it_checks_the_same_words_in_the_database(model, name, lookup, words):
    assert _constraint(model, name) == Q((lookup, words.values))
