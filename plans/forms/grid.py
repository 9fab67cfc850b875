"""The results grid: agencies by indicators, parsed from one POST without a field per Form.

A Django ``Form`` with 9,000 fields is slow to build and to render, so the grid is a small
purpose-built form. Each cell posts its figures and, in a hidden ``-o`` input, the version and
figures it was shown with. That lets a save tell the cells the user changed from the ones they
left alone, and tell the service which version each change started from.

Which agencies and indicators the grid lists is read by :mod:`plans.selectors.agencies`.
"""

import functools
import hashlib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Agency, Result
from plans.rules.limits import NOTE_MAX_LENGTH, WHOLE_MAX_DIGITS
from plans.rules.parsing import parse_ascii_int, parse_whole_number, whole_number_problem
from plans.services.results import ResultEntry, ResultsRefused
from plans.words.wording import what_to_count_text


def _note_hash(note: str) -> str:
    return hashlib.sha256(note.encode()).hexdigest()[:12]


def _text(number) -> str:
    return "" if number is None else str(number)


def make_token(result: Result | None) -> str:
    """Return the hidden ``-o`` value of a cell showing ``result`` (None: an empty cell)."""
    if result is None:
        return "0||||" + _note_hash("")
    return "|".join(
        [
            str(result.version),
            _text(result.value),
            _text(result.numerator),
            _text(result.denominator),
            _note_hash(result.note),
        ]
    )


def parse_whole(text: str) -> int | None:
    """Return the whole number typed in ``text`` (None when blank), or raise ValueError.

    The imports' rule (plain digits, or groups of three separated by dots: 1.000), and spaces
    are dropped too: a person typing into a cell may write 1 000.
    """
    text = text.replace("\u00a0", "").replace(" ", "").strip()
    if not text:
        return None
    number = parse_whole_number(text, max_digits=WHOLE_MAX_DIGITS)
    if number is None:
        raise ValueError(
            _("“%(text)s” không phải số nguyên không âm: %(reason)s.")
            % {"text": text[:20], "reason": whole_number_problem(text)}
        )
    return number


@dataclass
class Cell:
    """One agency's result for one indicator, as shown and as posted."""

    agency: Agency
    indicator: Indicator
    result: Result | None
    targeted: bool = False
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    note: str = ""
    token: str = ""
    errors: list[str] = field(default_factory=list)
    changed: bool = False

    def __post_init__(self):
        result = self.result
        if result is not None:
            self.value = _text(result.value)
            self.numerator = _text(result.numerator)
            self.denominator = _text(result.denominator)
            self.note = result.note
        self.token = make_token(result)

    @property
    def prefix(self) -> str:
        return f"r{self.agency.pk}-{self.indicator.pk}"

    @property
    def kind(self) -> str:
        return self.indicator.kind

    @property
    def what_to_count(self) -> str:
        return what_to_count_text(self.indicator)

    @property
    def label(self) -> str:
        """Return what a screen reader announces for the cell: agency and indicator."""
        return f"{self.agency.display_name} – {self.indicator.name}"

    def read(self, data, *, with_notes: bool) -> ResultEntry | None:
        """Read the cell from ``data``; return the entry if the user changed it, else None."""
        token = data.get(f"{self.prefix}-o")
        if token is None:
            # Not on the page that was posted: leave the result alone.
            return None
        self.value = data.get(f"{self.prefix}-v", "").strip()
        self.numerator = data.get(f"{self.prefix}-n", "").strip()
        self.denominator = data.get(f"{self.prefix}-d", "").strip()
        note = data.get(f"{self.prefix}-note") if with_notes else None
        if note is not None:
            self.note = note.strip()
        parts = token.split("|")
        expected_version = parse_ascii_int(parts[0]) if len(parts) == 5 else None
        if expected_version is None:
            self.errors.append(_("Dữ liệu của ô bị hỏng; hãy tải lại trang rồi nhập lại."))
            return None
        self.token = token
        shown = tuple(parts[1:4])
        if self.kind == Indicator.Kind.RATIO:
            posted = ("", self.numerator, self.denominator)
        else:
            posted = (self.value, "", "")
        note_changed = note is not None and _note_hash(self.note) != parts[4]
        if posted == shown and not note_changed:
            return None
        self.changed = True

        numbers = {}
        for name, text in zip(("value", "numerator", "denominator"), posted, strict=True):
            try:
                numbers[name] = parse_whole(text)
            except ValueError as exc:
                self.errors.append(str(exc))
        if self.errors:
            return None
        if all(n is None for n in numbers.values()):
            if expected_version == 0:
                # Typed a note into an empty cell, or typed and erased: figures are needed.
                if note_changed and self.note:
                    self.errors.append(_("Nhập số liệu trước khi ghi chú."))
                return None
            self.errors.append(
                _(
                    "Không xoá được kết quả đã lưu bằng cách để trống ô. Hãy nhập số liệu đúng, "
                    "hoặc nhờ quản trị viên xoá kết quả này."
                )
            )
            return None
        # Whether the figures fit the indicator and the note its length is the service's check
        # (plans.services.results.results_check), made once for every channel.
        return ResultEntry(
            agency=self.agency,
            indicator=self.indicator,
            note=note if note is None else self.note,
            expected_version=expected_version,
            **numbers,
        )


@functools.lru_cache(maxsize=16)
def _cell_words(language: str | None) -> dict[str, str]:
    """Return the words of the cells in ``language``, translated once, not once per cell (a
    grid has thousands)."""
    return {
        "yes": _("Có"),
        "no": _("Không"),
        "numerator": _("%(label)s: tử số"),
        "denominator": _("%(label)s: mẫu số"),
        "note_label": _("%(label)s: ghi chú"),
        "note": _("ghi chú"),
        "has_note": _("có ghi chú"),
    }


def cell_inputs_html(
    cell: Cell, *, closed: bool, with_notes: bool, locked: bool = False
) -> SafeString:
    """Return the inputs of ``cell``, suited to its kind, with its error messages.

    ``locked``: the agency's report is approved, so the inputs are disabled and the cell posts
    nothing, not even its version (a save then leaves it alone, see :meth:`Cell.read`).

    Built here rather than with a template include: a 150-agency grid has 2,100 cells, and
    an include per cell costs seconds.
    """
    prefix = cell.prefix
    label = escape(cell.label)
    closed = closed or locked
    extra = ' disabled' if closed else ''
    if cell.errors:
        extra += f' aria-invalid="true" aria-describedby="{prefix}-err"'
    parts = [] if locked else [
        f'<input type="hidden" name="{prefix}-o" value="{escape(cell.token)}">'
    ]
    words = _cell_words(get_language())
    if cell.kind == Indicator.Kind.YES_NO:
        options = [("", "–"), ("1", words["yes"]), ("0", words["no"])]
        if cell.value not in ("", "0", "1"):
            options.append((cell.value, cell.value))
        parts.append(f'<select name="{prefix}-v" aria-label="{label}"{extra}>')
        for value, text in options:
            selected = " selected" if value == cell.value else ""
            parts.append(f'<option value="{escape(value)}"{selected}>{escape(text)}</option>')
        parts.append("</select>")
    elif cell.kind == Indicator.Kind.RATIO:
        numerator_label = escape(words["numerator"] % {"label": cell.label})
        denominator_label = escape(words["denominator"] % {"label": cell.label})
        parts.append(
            f'<span class="ratio"><input class="num" name="{prefix}-n" '
            f'value="{escape(cell.numerator)}" inputmode="numeric" autocomplete="off" '
            f'aria-label="{numerator_label}"{extra}><span aria-hidden="true">/</span>'
            f'<input class="num" name="{prefix}-d" value="{escape(cell.denominator)}" '
            f'inputmode="numeric" autocomplete="off" aria-label="{denominator_label}"{extra}>'
            "</span>"
        )
    else:
        parts.append(
            f'<input class="num" name="{prefix}-v" value="{escape(cell.value)}" '
            f'inputmode="numeric" autocomplete="off" aria-label="{label}"{extra}>'
        )
    if with_notes:
        note_label = escape(words["note_label"] % {"label": cell.label})
        parts.append(
            f'<input class="note" name="{prefix}-note" value="{escape(cell.note)}" '
            f'maxlength="{NOTE_MAX_LENGTH}" placeholder="{escape(words["note"])}" '
            f'aria-label="{note_label}"{" disabled" if closed else ""}>'
        )
    elif cell.note:
        parts.append(f'<span class="has-note" title="{escape(cell.note)}">'
                     f'{escape(words["has_note"])}</span>')
    if cell.errors:
        items = "".join(f"<li>{escape(error)}</li>" for error in cell.errors)
        parts.append(f'<ul class="cell-errors" id="{prefix}-err">{items}</ul>')
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@dataclass
class Row:
    agency: Agency
    cells: list[Cell]
    # The agency's report is approved: its figures are shown read-only until reopened.
    approved: bool = False

    @property
    def has_errors(self) -> bool:
        return any(cell.errors for cell in self.cells)

    def cells_html(self, *, closed: bool, with_notes: bool) -> SafeString:
        """Return the row's cells as table cells."""
        parts = []
        for cell in self.cells:
            classes = f"kind-{cell.kind}"
            if cell.errors:
                classes += " invalid"
            if cell.targeted:
                classes += " targeted"
            inputs = cell_inputs_html(
                cell, closed=closed, with_notes=with_notes, locked=self.approved
            )
            parts.append(f'<td id="{cell.prefix}-cell" class="{classes}">{inputs}</td>')
        return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts


class ResultGrid:
    """Results of ``agencies`` for ``indicators`` in one year, for display and for a save.

    The rows of ``approved_ids`` (agencies whose report is approved) are read-only.
    """

    def __init__(
        self, *, agencies, indicators, results, targeted_ids=(), with_notes=True,
        approved_ids=(),
    ):
        self.indicators = list(indicators)
        # The column headers: each indicator with what to count for it.
        self.columns = [(indicator, what_to_count_text(indicator)) for indicator in self.indicators]
        self.with_notes = with_notes
        self.targeted_ids = set(targeted_ids)
        by_key = {(r.agency_id, r.indicator_id): r for r in results}
        approved_ids = set(approved_ids)
        self.rows = [
            Row(
                agency=agency,
                approved=agency.pk in approved_ids,
                cells=[
                    Cell(
                        agency=agency,
                        indicator=indicator,
                        result=by_key.get((agency.pk, indicator.pk)),
                        targeted=indicator.pk in self.targeted_ids,
                    )
                    for indicator in self.indicators
                ],
            )
            for agency in agencies
        ]
        self.entries: list[ResultEntry] = []
        self.message = ""

    def cells(self):
        for row in self.rows:
            yield from row.cells

    def rendered_rows(self, *, closed: bool):
        """Return (row, its cells' HTML) pairs for the grid template."""
        return [
            (row, row.cells_html(closed=closed, with_notes=self.with_notes)) for row in self.rows
        ]

    def read(self, data) -> bool:
        """Read a POST; keep the changed cells' entries; return True if every cell is valid."""
        self.entries = [
            entry
            for cell in self.cells()
            if (entry := cell.read(data, with_notes=self.with_notes)) is not None
        ]
        return not self.errors()

    def errors(self) -> list[Cell]:
        return [cell for cell in self.cells() if cell.errors]

    def refuse(self, refusal: ResultsRefused) -> None:
        """Mark the cells the service refused; a stale cell now names the version it saw."""
        self.message = refusal.message
        cells = {(cell.agency.pk, cell.indicator.pk): cell for cell in self.cells()}
        for key, messages in refusal.problems.items():
            cell = cells.get(key)
            if cell is not None:
                cell.errors.extend(messages)
        for key, result in refusal.current.items():
            cell = cells.get(key)
            if cell is not None:
                # The user has now seen the newer figures: saving again overwrites them.
                cell.token = make_token(result)
