"""The progress arithmetic of docs/FORMATS.md: numbers in, numbers out.

No database and no request here. Everything that shows or exports a figure — dashboard,
export, report, admin — computes it through :func:`compute`.

Exactness: the status is decided on fractions (``100 × num`` against ``value × den``), never on
floats; a percentage is rounded to one decimal place, halves away from zero, only for display.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from egov_targets.vocabulary import Comparator, Kind, Status, Unit

# The vocabulary's words under the short names its callers use (``progress.PERCENT``); they are
# defined in egov_targets.vocabulary. COUNT is both a kind and a unit: the same word.
YES_NO = Kind.YES_NO
RATIO = Kind.RATIO
COUNT = Kind.COUNT
PERCENT = Unit.PERCENT
KINDS = tuple(Kind.values)
UNITS = tuple(Unit.values)
COMPARATORS = tuple(Comparator.values)


@dataclass(frozen=True)
class Tally:
    """What the agencies in a target's scope reported, added up.

    ``value_sum`` is the number of "yes" answers (yes/no) or the sum of counts; ``numerator_sum``
    and ``denominator_sum`` are the sums of a ratio's parts.
    """

    agencies_in_scope: int = 0
    agencies_reporting: int = 0
    value_sum: int = 0
    numerator_sum: int = 0
    denominator_sum: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.agencies_in_scope + other.agencies_in_scope,
            self.agencies_reporting + other.agencies_reporting,
            self.value_sum + other.value_sum,
            self.numerator_sum + other.numerator_sum,
            self.denominator_sum + other.denominator_sum,
        )


@dataclass(frozen=True)
class Progress:
    """The achievement of one target."""

    unit: str
    comparator: str
    target: Decimal
    numerator: int | None
    denominator: int | None
    agencies_reporting: int
    agencies_in_scope: int
    status: str
    # A checklist target's progress (:func:`checklist`): the numerator counts items done, and
    # the "agencies" counts are its items, all of them reported.
    checklist: bool = False

    @property
    def achieved(self) -> Fraction | None:
        """Return the exact achieved value (a percentage or a count), None without data."""
        if self.status == Status.NO_DATA:
            return None
        # Only NO_DATA lacks the figures.
        assert self.numerator is not None
        if self.unit == Unit.PERCENT:
            assert self.denominator is not None
            return Fraction(100 * self.numerator, self.denominator)
        return Fraction(self.numerator)

    @property
    def achieved_rounded(self) -> Decimal | None:
        """Return the achieved value as shown: one decimal for a percent, whole for a count."""
        achieved = self.achieved
        if achieved is None:
            return None
        return round_half_away(achieved, 1 if self.unit == Unit.PERCENT else 0)

    @property
    def is_complete(self) -> bool:
        return self.agencies_reporting == self.agencies_in_scope

    @property
    def is_provisional(self) -> bool:
        return not self.is_complete

    @property
    def is_met(self) -> bool:
        return self.status == Status.MET


def round_half_away(number: Fraction | Decimal | int, places: int) -> Decimal:
    """Return ``number`` rounded to ``places`` decimals, halves away from zero (6.25 → 6.3)."""
    number = Fraction(number)
    quantum = Decimal(1).scaleb(-places)
    # Exact decimal of the fraction to enough places that only the rounding digit matters:
    # scale, round the exact fraction half away from zero as integers, then scale back.
    scaled = number * 10**places
    whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    sign = -1 if scaled < 0 else 1
    return (Decimal(sign * whole).scaleb(-places)).quantize(quantum, rounding=ROUND_HALF_UP)


def meets(comparator: str, achieved: Fraction, target: Decimal | int) -> bool:
    """Return True if ``achieved <comparator> target`` holds, compared exactly."""
    exact = Fraction(target)
    if comparator == Comparator.GTE:
        return achieved >= exact
    if comparator == Comparator.GT:
        return achieved > exact
    if comparator == Comparator.LTE:
        return achieved <= exact
    if comparator == Comparator.LT:
        return achieved < exact
    raise ValueError(f"unknown comparator {comparator!r}")


def compute(
    *, kind: str, unit: str, comparator: str, target: Decimal | int, tally: Tally
) -> Progress:
    """Return the progress of a target of ``unit`` on an indicator of ``kind`` from ``tally``.

    | kind, unit      | numerator               | denominator                  |
    | yes_no, percent | agencies that said yes  | all agencies in scope        |
    | yes_no, count   | agencies that said yes  | —                            |
    | ratio, percent  | sum of numerators       | sum of denominators          |
    | ratio, count    | sum of numerators       | —                            |
    | count, count    | sum of values           | —                            |
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    if unit not in Unit.values:
        raise ValueError(f"unknown unit {unit!r}")
    if kind == Kind.COUNT and unit == Unit.PERCENT:
        raise ValueError("a count indicator takes only count targets")

    if kind == Kind.RATIO:
        numerator = tally.numerator_sum
        denominator = tally.denominator_sum if unit == Unit.PERCENT else None
    else:
        numerator = tally.value_sum
        # Yes/no percent: agencies that have not reported count as "not confirmed".
        denominator = tally.agencies_in_scope if unit == Unit.PERCENT else None

    if tally.agencies_reporting == 0 or (unit == Unit.PERCENT and not denominator):
        return Progress(
            unit=unit,
            comparator=comparator,
            target=Decimal(target),
            numerator=None,
            denominator=None,
            agencies_reporting=tally.agencies_reporting,
            agencies_in_scope=tally.agencies_in_scope,
            status=Status.NO_DATA,
        )
    achieved = (
        Fraction(100 * numerator, denominator) if unit == Unit.PERCENT else Fraction(numerator)
    )
    status = Status.MET if meets(comparator, achieved, Decimal(target)) else Status.NOT_MET
    return Progress(
        unit=unit,
        comparator=comparator,
        target=Decimal(target),
        numerator=numerator,
        denominator=denominator,
        agencies_reporting=tally.agencies_reporting,
        agencies_in_scope=tally.agencies_in_scope,
        status=status,
    )


def agency_achieved(
    *, kind: str, unit: str, value: int | None, numerator: int | None, denominator: int | None
) -> Fraction | None:
    """Return one agency's own figure on a target's scale (for drill-down lists), or None."""
    if kind == Kind.RATIO:
        if numerator is None:
            return None
        if unit == Unit.PERCENT:
            return Fraction(100 * numerator, denominator) if denominator else None
        return Fraction(numerator)
    if value is None:
        return None
    if kind == Kind.YES_NO and unit == Unit.PERCENT:
        return Fraction(100 * value)
    return Fraction(value)


def checklist(*, comparator: str, target: Decimal | int, done: int, total: int) -> Progress:
    """Return the progress of a checklist target: ``done`` of its ``total`` named items.

    The target's value is the number of items that must be done, compared with the number
    done by the target's comparator; the figure is a count. Every item is in the list whether
    done or not, so the figures are complete; a target without items has no data.
    """
    if comparator not in Comparator.values:
        raise ValueError(f"unknown comparator {comparator!r}")
    if not 0 <= done <= total:
        raise ValueError(f"{done} items done of {total}")
    if total == 0:
        return Progress(
            unit=Unit.COUNT, comparator=comparator, target=Decimal(target), numerator=None,
            denominator=None, agencies_reporting=0, agencies_in_scope=0, status=Status.NO_DATA,
            checklist=True,
        )
    met = meets(comparator, Fraction(done), Decimal(target))
    return Progress(
        unit=Unit.COUNT,
        comparator=comparator,
        target=Decimal(target),
        numerator=done,
        denominator=None,
        # The items stand where agencies stand for other targets: all of them are reported.
        agencies_reporting=total,
        agencies_in_scope=total,
        status=Status.MET if met else Status.NOT_MET,
        checklist=True,
    )
