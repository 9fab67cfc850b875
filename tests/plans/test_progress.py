"""The progress arithmetic of docs/FORMATS.md, as tables of cases and as properties.

Every example of seeds/README.md is here: "trên 80%" (80.0 not met, 80.1 met), 4 of 5 agencies
meeting ``>= 80`` but not ``> 80``, the yes/no denominator counting agencies that have not
reported, K6's "3 services at level 4" as a ratio target in count units, and the rounding of
percentages for display (6.25 → 6.3).
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from plans.rules.progress import (
    COMPARATORS,
    Status,
    Tally,
    agency_achieved,
    compute,
    meets,
    round_half_away,
)

MET, NOT_MET, NO_DATA = Status.MET, Status.NOT_MET, Status.NO_DATA


def yes_no(in_scope, reporting, yes):
    return Tally(agencies_in_scope=in_scope, agencies_reporting=reporting, value_sum=yes)


def ratio(in_scope, reporting, numerator, denominator):
    return Tally(
        agencies_in_scope=in_scope,
        agencies_reporting=reporting,
        numerator_sum=numerator,
        denominator_sum=denominator,
    )


def counts(in_scope, reporting, total):
    return Tally(agencies_in_scope=in_scope, agencies_reporting=reporting, value_sum=total)


# (kind, unit, comparator, target, tally, status, numerator, denominator, achieved shown)
CASES = [
    # "trên 80%" is ">": 80.0 % does not meet it, 80.1 % does.
    ("ratio", "percent", ">", "80", ratio(1, 1, 800, 1000), NOT_MET, 800, 1000, "80.0"),
    ("ratio", "percent", ">", "80", ratio(1, 1, 801, 1000), MET, 801, 1000, "80.1"),
    # 4 of 5 agencies is exactly 80 %: meets ">= 80", not "> 80".
    ("yes_no", "percent", ">=", "80", yes_no(5, 5, 4), MET, 4, 5, "80.0"),
    ("yes_no", "percent", ">", "80", yes_no(5, 5, 4), NOT_MET, 4, 5, "80.0"),
    # Yes/no percent: agencies that have not reported stay in the denominator.
    ("yes_no", "percent", ">=", "80", yes_no(5, 4, 4), MET, 4, 5, "80.0"),
    ("yes_no", "percent", ">=", "100", yes_no(5, 4, 4), NOT_MET, 4, 5, "80.0"),
    ("yes_no", "percent", ">", "50", yes_no(35, 20, 18), MET, 18, 35, "51.4"),
    # Nobody in scope reported: no data, even for a 0 % target.
    ("yes_no", "percent", ">=", "0", yes_no(5, 0, 0), NO_DATA, None, None, None),
    ("ratio", "percent", ">=", "25", ratio(10, 0, 0, 0), NO_DATA, None, None, None),
    ("count", "count", ">=", "3", counts(10, 0, 0), NO_DATA, None, None, None),
    ("ratio", "count", ">=", "3", ratio(10, 0, 0, 0), NO_DATA, None, None, None),
    # No agency in scope at all: no data, not a division by zero.
    ("yes_no", "percent", ">=", "50", yes_no(0, 0, 0), NO_DATA, None, None, None),
    # Agencies reported, but every denominator is 0: a percentage has no meaning.
    ("ratio", "percent", ">=", "25", ratio(3, 3, 0, 0), NO_DATA, None, None, None),
    # ... while the same tally in count units is a plain sum (0 services).
    ("ratio", "count", ">=", "3", ratio(3, 3, 0, 0), NOT_MET, 0, None, "0"),
    # K6: "3 dịch vụ công trực tuyến mức độ 4", the sum of the numerators in count units.
    ("ratio", "count", ">=", "3", ratio(179, 179, 3, 2000), MET, 3, None, "3"),
    ("ratio", "count", ">=", "3", ratio(179, 179, 2, 2000), NOT_MET, 2, None, "2"),
    ("ratio", "count", ">", "3", ratio(179, 179, 3, 2000), NOT_MET, 3, None, "3"),
    # Count indicators and yes/no in count units (H5: 29 units issued certificates).
    ("count", "count", ">=", "3", counts(4, 2, 3), MET, 3, None, "3"),
    ("count", "count", ">=", "3", counts(4, 4, 2), NOT_MET, 2, None, "2"),
    ("yes_no", "count", ">=", "29", yes_no(168, 168, 29), MET, 29, None, "29"),
    ("yes_no", "count", ">", "29", yes_no(168, 168, 29), NOT_MET, 29, None, "29"),
    # A reported zero is data, not "no data".
    ("count", "count", ">=", "0", counts(4, 1, 0), MET, 0, None, "0"),
    ("yes_no", "percent", ">=", "50", yes_no(4, 4, 0), NOT_MET, 0, 4, "0.0"),
    # "Not more than" and "below" comparators.
    ("ratio", "percent", "<=", "10", ratio(2, 2, 1, 10), MET, 1, 10, "10.0"),
    ("ratio", "percent", "<", "10", ratio(2, 2, 1, 10), NOT_MET, 1, 10, "10.0"),
    ("ratio", "percent", "<", "10", ratio(2, 2, 99, 1000), MET, 99, 1000, "9.9"),
    ("ratio", "percent", "<=", "10", ratio(2, 2, 101, 1000), NOT_MET, 101, 1000, "10.1"),
    ("count", "count", "<=", "5", counts(3, 3, 5), MET, 5, None, "5"),
    ("count", "count", "<", "5", counts(3, 3, 5), NOT_MET, 5, None, "5"),
    # Decimal targets compare exactly: 12.5 % of 8 is 1.
    ("ratio", "percent", ">=", "12.5", ratio(1, 1, 1, 8), MET, 1, 8, "12.5"),
    ("ratio", "percent", ">", "12.5", ratio(1, 1, 1, 8), NOT_MET, 1, 8, "12.5"),
    # 2 of 3 is 66.66… %: below 66.7 although it is shown as 66.7.
    ("yes_no", "percent", ">=", "66.7", yes_no(3, 3, 2), NOT_MET, 2, 3, "66.7"),
    ("yes_no", "percent", ">=", "66.6", yes_no(3, 3, 2), MET, 2, 3, "66.7"),
    # Rounding for display only: 6.25 → 6.3, 6.35 → 6.4, 0.05 → 0.1.
    ("ratio", "percent", ">=", "6.3", ratio(1, 1, 1, 16), NOT_MET, 1, 16, "6.3"),
    ("ratio", "percent", ">=", "6.4", ratio(1, 1, 127, 2000), NOT_MET, 127, 2000, "6.4"),
    ("ratio", "percent", ">", "0", ratio(1, 1, 1, 2000), MET, 1, 2000, "0.1"),
    ("ratio", "percent", ">=", "100", ratio(1, 1, 30, 30), MET, 30, 30, "100.0"),
    # K7, "trên 100%" stored as ">= 100": one official without a mailbox is enough to miss it.
    ("ratio", "percent", ">=", "100", ratio(2, 2, 4999, 5000), NOT_MET, 4999, 5000, "100.0"),
]


@pytest.mark.parametrize(
    "kind, unit, comparator, target, tally, status, numerator, denominator, shown", CASES
)
def test_it_computes_every_example(
    kind, unit, comparator, target, tally, status, numerator, denominator, shown
):
    result = compute(
        kind=kind, unit=unit, comparator=comparator, target=Decimal(target), tally=tally
    )
    assert result.status == status
    assert result.numerator == numerator
    assert result.denominator == denominator
    assert result.achieved_rounded == (None if shown is None else Decimal(shown))
    assert str(result.achieved_rounded) == str(shown)
    assert result.agencies_in_scope == tally.agencies_in_scope
    assert result.agencies_reporting == tally.agencies_reporting
    assert result.target == Decimal(target)
    assert result.is_met == (status == MET)


@pytest.mark.parametrize(
    "tally, complete",
    [
        (yes_no(5, 5, 4), True),
        (yes_no(5, 4, 4), False),
        (yes_no(5, 0, 0), False),
        (yes_no(0, 0, 0), True),
    ],
)
def test_it_says_whether_the_figure_is_complete(tally, complete):
    result = compute(kind="yes_no", unit="percent", comparator=">=", target=80, tally=tally)
    assert result.is_complete is complete
    assert result.is_provisional is (not complete)


def test_it_gives_the_exact_achieved_value():
    result = compute(
        kind="yes_no", unit="percent", comparator=">=", target=Decimal(66), tally=yes_no(3, 3, 2)
    )
    assert result.achieved == Fraction(200, 3)


def test_it_gives_no_achieved_value_without_data():
    result = compute(
        kind="ratio", unit="percent", comparator=">=", target=Decimal(25), tally=ratio(3, 0, 0, 0)
    )
    assert result.achieved is None
    assert result.achieved_rounded is None


@pytest.mark.parametrize(
    "number, places, shown",
    [
        (Fraction(625, 100), 1, "6.3"),
        (Fraction(635, 100), 1, "6.4"),
        (Fraction(5, 100), 1, "0.1"),
        (Fraction(4, 100), 1, "0.0"),
        (Fraction(200, 3), 1, "66.7"),
        (Fraction(100, 3), 1, "33.3"),
        (Fraction(-625, 100), 1, "-6.3"),
        (Decimal("6.25"), 1, "6.3"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("3.5"), 0, "4"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (7, 0, "7"),
        (100, 1, "100.0"),
        (0, 1, "0.0"),
        (Fraction(999499, 10000), 1, "99.9"),
        (Fraction(99950, 1000), 1, "100.0"),
    ],
)
def test_it_rounds_halves_away_from_zero(number, places, shown):
    assert str(round_half_away(number, places)) == shown


@pytest.mark.parametrize(
    "comparator, achieved, target, expected",
    [
        (">=", Fraction(80), Decimal(80), True),
        (">", Fraction(80), Decimal(80), False),
        ("<=", Fraction(80), Decimal(80), True),
        ("<", Fraction(80), Decimal(80), False),
        (">", Fraction(801, 10), Decimal(80), True),
        ("<", Fraction(799, 10), Decimal(80), True),
        (">=", Fraction(125, 10), Decimal("12.5"), True),
        (">", Fraction(125, 10), Decimal("12.5"), False),
        (">=", Fraction(3), 3, True),
    ],
)
def test_it_compares_exactly(comparator, achieved, target, expected):
    assert meets(comparator, achieved, target) is expected


def test_it_refuses_an_unknown_comparator():
    with pytest.raises(ValueError, match="comparator"):
        meets("=>", Fraction(80), Decimal(80))


@pytest.mark.parametrize(
    "kind, unit, message",
    [
        ("count", "percent", "count indicator"),
        ("percentage", "percent", "kind"),
        ("ratio", "share", "unit"),
    ],
)
def test_it_refuses_kinds_and_units_that_do_not_go_together(kind, unit, message):
    with pytest.raises(ValueError, match=message):
        compute(kind=kind, unit=unit, comparator=">=", target=Decimal(1), tally=yes_no(1, 1, 1))


@pytest.mark.parametrize(
    "kind, unit, value, numerator, denominator, expected",
    [
        ("yes_no", "percent", 1, None, None, Fraction(100)),
        ("yes_no", "percent", 0, None, None, Fraction(0)),
        ("yes_no", "count", 1, None, None, Fraction(1)),
        ("ratio", "percent", None, 3, 4, Fraction(75)),
        ("ratio", "percent", None, 0, 0, None),
        ("ratio", "count", None, 2, 40, Fraction(2)),
        ("count", "count", 7, None, None, Fraction(7)),
        ("yes_no", "percent", None, None, None, None),
        ("ratio", "percent", None, None, None, None),
    ],
)
def test_it_gives_one_agencys_own_figure(kind, unit, value, numerator, denominator, expected):
    assert (
        agency_achieved(
            kind=kind, unit=unit, value=value, numerator=numerator, denominator=denominator
        )
        == expected
    )


# Properties ------------------------------------------------------------------------------

KIND_UNITS = [("yes_no", "percent"), ("yes_no", "count"), ("ratio", "percent"),
              ("ratio", "count"), ("count", "count")]

percent_targets = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n).scaleb(-1))
count_targets = st.integers(min_value=0, max_value=10**6).map(Decimal)


@st.composite
def valid_inputs(draw):
    """Draw a kind, unit, comparator, target and a tally that real results could produce."""
    kind, unit = draw(st.sampled_from(KIND_UNITS))
    comparator = draw(st.sampled_from(COMPARATORS))
    target = draw(percent_targets if unit == "percent" else count_targets)
    in_scope = draw(st.integers(min_value=0, max_value=500))
    reporting = draw(st.integers(min_value=0, max_value=in_scope))
    if kind == "yes_no":
        tally = yes_no(in_scope, reporting, draw(st.integers(min_value=0, max_value=reporting)))
    elif kind == "ratio":
        denominator = draw(st.integers(min_value=0, max_value=10**7)) if reporting else 0
        numerator = draw(st.integers(min_value=0, max_value=denominator))
        tally = ratio(in_scope, reporting, numerator, denominator)
    else:
        total = draw(st.integers(min_value=0, max_value=10**7)) if reporting else 0
        tally = counts(in_scope, reporting, total)
    return kind, unit, comparator, target, tally


def exact_achieved(kind, unit, tally):
    """Return the achieved value straight from docs/FORMATS.md's table, or None for no data."""
    if tally.agencies_reporting == 0:
        return None
    numerator = tally.numerator_sum if kind == "ratio" else tally.value_sum
    if unit == "count":
        return Fraction(numerator)
    denominator = tally.denominator_sum if kind == "ratio" else tally.agencies_in_scope
    if denominator == 0:
        return None
    return Fraction(100 * numerator, denominator)


def holds(comparator, left, right):
    return {
        ">=": left >= right,
        ">": left > right,
        "<=": left <= right,
        "<": left < right,
    }[comparator]


@given(valid_inputs())
def test_property_status_agrees_with_exact_fraction_comparison(inputs):
    kind, unit, comparator, target, tally = inputs
    result = compute(kind=kind, unit=unit, comparator=comparator, target=target, tally=tally)
    expected = exact_achieved(kind, unit, tally)
    if expected is None:
        assert result.status == NO_DATA
        assert result.achieved is None
    else:
        assert result.achieved == expected
        assert result.status == (MET if holds(comparator, expected, Fraction(target)) else NOT_MET)


@given(valid_inputs())
def test_property_rounding_stays_within_half_a_unit_of_the_exact_value(inputs):
    kind, unit, comparator, target, tally = inputs
    result = compute(kind=kind, unit=unit, comparator=comparator, target=target, tally=tally)
    assume(result.achieved is not None)
    half = Fraction(5, 100) if unit == "percent" else Fraction(1, 2)
    assert abs(Fraction(result.achieved_rounded) - result.achieved) <= half
    assert result.achieved_rounded.as_tuple().exponent == (-1 if unit == "percent" else 0)


@given(
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
    st.integers(min_value=0, max_value=3),
)
def test_property_rounding_is_half_away_from_zero(number, places):
    rounded = Fraction(round_half_away(number, places))
    step = Fraction(1, 10**places)
    assert abs(rounded - number) <= step / 2
    if abs(rounded - number) == step / 2:
        # A tie goes away from zero.
        assert abs(rounded) > abs(number)
    assert round_half_away(-number, places) == -round_half_away(number, places)


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=0, max_value=1000),
)
def test_property_met_flips_exactly_at_the_threshold(denominator, tenths):
    """A ratio exactly at the target meets ``>=`` and ``<=``; one step above or below flips."""
    target = Decimal(tenths).scaleb(-1)
    # Scale so that the target is reachable exactly: numerator / (1000 d) = target / 100.
    base = 1000 * denominator
    at = tenths * denominator
    for numerator, ge, gt, le, lt in [
        (at, True, False, True, False),
        (at + 1, True, True, False, False),
        (at - 1, False, False, True, True),
    ]:
        if not 0 <= numerator <= base:
            continue
        statuses = {
            comparator: compute(
                kind="ratio",
                unit="percent",
                comparator=comparator,
                target=target,
                tally=ratio(1, 1, numerator, base),
            ).status
            for comparator in COMPARATORS
        }
        assert statuses == {
            ">=": MET if ge else NOT_MET,
            ">": MET if gt else NOT_MET,
            "<=": MET if le else NOT_MET,
            "<": MET if lt else NOT_MET,
        }


@given(
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(COMPARATORS),
)
def test_property_count_targets_flip_exactly_at_the_threshold(threshold, extra, comparator):
    below, at, above = threshold - 1, threshold, threshold + 1 + extra
    for total in (below, at, above):
        if total < 0:
            continue
        result = compute(
            kind="count",
            unit="count",
            comparator=comparator,
            target=Decimal(threshold),
            tally=counts(1, 1, total),
        )
        assert result.is_met == holds(comparator, total, threshold)


tallies = st.builds(
    Tally,
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
)


@given(tallies, tallies, tallies)
def test_property_tally_addition_is_associative(a, b, c):
    assert (a + b) + c == a + (b + c)


@given(tallies, tallies)
def test_property_tally_addition_is_commutative(a, b):
    assert a + b == b + a


@given(tallies)
def test_property_the_empty_tally_adds_nothing(a):
    assert a + Tally() == a


@given(valid_inputs())
def test_property_compute_never_raises_for_valid_inputs(inputs):
    kind, unit, comparator, target, tally = inputs
    result = compute(kind=kind, unit=unit, comparator=comparator, target=target, tally=tally)
    assert result.status in (MET, NOT_MET, NO_DATA)
    assert result.is_complete == (tally.agencies_reporting == tally.agencies_in_scope)
