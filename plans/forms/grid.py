"""The results grid: agencies by indicators, parsed from one POST without a field per Form.

A Django ``Form`` with 9,000 fields is slow to build and to render, so the grid is a small
purpose-built form. Each cell posts its figures and, in a hidden ``-o`` input, the version and
figures it was shown with. That lets a save tell the cells the user changed from the ones they
left alone, and tell the service which version each change started from.

Which agencies and indicators the grid lists is read by :mod:`plans.selectors.agencies`.

The HTML of the cells is built here, not by a template: a province's communes make a grid of
over 10,000 cells. What a column's cells share (names, classes, translated and escaped words)
is made once per page (``_Column``); a cell shown without a post is then a few string joins
of its stored figures, which are whole numbers and need no escaping, and of its agency's name,
escaped once per row. Escaping is the standard library's ``html.escape``, which Django's
``escape`` calls, without its wrapper's cost per call.
"""

import functools
import hashlib
from dataclasses import dataclass, field
from html import escape as _escape
from urllib.parse import quote

from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import Indicator
from plans.models import Agency, Result
from plans.rules.limits import NOTE_MAX_LENGTH, WHOLE_MAX_DIGITS
from plans.rules.parsing import parse_ascii_int, parse_whole_number, whole_number_problem
from plans.selectors.agencies import ShownResult
from plans.services.results import ResultEntry, ResultsRefused
from plans.words.wording import what_to_count_text

# What reverse() leaves unquoted in an address (django.urls.resolvers).
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


def _note_hash(note: str) -> str:
    if not note:
        return _EMPTY_NOTE_HASH
    return hashlib.sha256(note.encode()).hexdigest()[:12]


_EMPTY_NOTE_HASH = hashlib.sha256(b"").hexdigest()[:12]


def _text(number) -> str:
    return "" if number is None else str(number)


def make_token(result: Result | ShownResult | None) -> str:
    """Return the hidden ``-o`` value of a cell showing ``result`` (None: an empty cell)."""
    if result is None:
        return "0||||" + _EMPTY_NOTE_HASH
    return (
        f"{result.version}|{_text(result.value)}|{_text(result.numerator)}|"
        f"{_text(result.denominator)}|{_note_hash(result.note)}"
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
    result: Result | ShownResult | None
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
        "approved_title": _("Báo cáo đã được duyệt: số liệu chỉ xem, cần mở lại trước khi sửa."),
        "approved": _("đã duyệt"),
    }


_RATIO, _YES_NO = Indicator.Kind.RATIO.value, Indicator.Kind.YES_NO.value

# Stands for a cell's label in a translated phrase while the phrase is escaped once per column;
# escaping leaves it as it is, and no label or translation holds it.
_LABEL = "\x00"


def _around_label(phrase: str) -> list[str]:
    """Return ``phrase`` (holding ``%(label)s``) escaped, cut where the label goes."""
    return _escape(phrase % {"label": _LABEL}).split(_LABEL)


class _Column:
    """What every cell of one indicator's column shares, made once per page: the end of its
    inputs' names, its classes, its escaped words. ``html`` then joins the cell's own figures
    into it (a 900-agency grid has 12,600 cells: each must cost a few string joins)."""

    def __init__(self, indicator: Indicator, *, targeted: bool, with_notes: bool, words):
        self.indicator_id = indicator.pk
        self.kind = indicator.kind
        self.name_end = f"-{indicator.pk}"
        self.classes = f"kind-{indicator.kind}" + (" targeted" if targeted else "")
        self.invalid_classes = f"kind-{indicator.kind} invalid" + (
            " targeted" if targeted else ""
        )
        # The cell's label, "agency – indicator", is the escaped agency name and this.
        self.label_end = f" – {_escape(indicator.name)}"
        self.with_notes = with_notes
        self.words = words
        self.numerator_label = _around_label(words["numerator"])
        self.denominator_label = _around_label(words["denominator"])
        self.note_label = _around_label(words["note_label"])
        self.note_attributes = (
            f'maxlength="{NOTE_MAX_LENGTH}" placeholder="{_escape(words["note"])}" '
        )
        self.has_note = _escape(words["has_note"])
        self.options = [("", "–"), ("1", words["yes"]), ("0", words["no"])]
        # A yes/no cell's options with each usual answer selected.
        self.selects = {
            chosen: self._options(chosen, self.options) for chosen, _text in self.options
        }

    @staticmethod
    def _options(chosen: str, options) -> str:
        return "".join(
            f'<option value="{_escape(value)}"{" selected" if value == chosen else ""}>'
            f"{_escape(text)}</option>"
            for value, text in options
        )

    def html(self, agency_id: str, agency_label: str, token: str, value: str, numerator: str,
             denominator: str, note: str, disabled: str, locked: bool,
             errors: list[str] | None = None, td: bool = True) -> str:
        """Return the cell of the agency ``agency_id`` (its escaped name ``agency_label``):
        a table cell holding its inputs, or the inputs alone (``td`` False).

        Every text given is escaped already. ``disabled``: " disabled" when the inputs take
        nothing (a closed plan, a locked row), else "". ``locked``: the agency's report is
        approved, so the inputs are disabled and the cell posts nothing, not even its version
        (a save then leaves it alone, see :meth:`Cell.read`).
        """
        prefix = f"r{agency_id}{self.name_end}"
        label = agency_label + self.label_end
        extra = disabled
        if errors:
            extra += f' aria-invalid="true" aria-describedby="{prefix}-err"'
        kind = self.kind
        if kind == _RATIO:
            numerator_label, denominator_label = self.numerator_label, self.denominator_label
            inputs = (
                f'<span class="ratio"><input class="num" name="{prefix}-n" value="{numerator}" '
                f'inputmode="numeric" autocomplete="off" aria-label="'
                f'{label.join(numerator_label)}"{extra}><span aria-hidden="true">/</span>'
                f'<input class="num" name="{prefix}-d" value="{denominator}" inputmode="numeric"'
                f' autocomplete="off" aria-label="{label.join(denominator_label)}"{extra}></span>'
            )
        elif kind == _YES_NO:
            options = self.selects.get(value)
            if options is None:
                # A figure a yes/no does not take (an old import): shown as it is, to correct.
                options = self._options(value, [*self.options, (value, value)])
            inputs = f'<select name="{prefix}-v" aria-label="{label}"{extra}>{options}</select>'
        else:
            inputs = (
                f'<input class="num" name="{prefix}-v" value="{value}" '
                f'inputmode="numeric" autocomplete="off" aria-label="{label}"{extra}>'
            )
        if self.with_notes:
            inputs += (
                f'<input class="note" name="{prefix}-note" value="{note}" {self.note_attributes}'
                f'aria-label="{label.join(self.note_label)}"{disabled}>'
            )
        elif note:
            inputs += f'<span class="has-note" title="{note}">{self.has_note}</span>'
        if errors:
            items = "".join(f"<li>{_escape(error)}</li>" for error in errors)
            inputs += f'<ul class="cell-errors" id="{prefix}-err">{items}</ul>'
        if not locked:
            inputs = f'<input type="hidden" name="{prefix}-o" value="{token}">{inputs}'
        if not td:
            return inputs
        classes = self.invalid_classes if errors else self.classes
        return f'<td id="{prefix}-cell" class="{classes}">{inputs}</td>'

    def cell_html(self, cell: Cell, agency_label: str, *, closed: bool, locked: bool,
                  td: bool = True) -> str:
        """Return the HTML of ``cell`` as read from a post (its texts are what was typed)."""
        return self.html(
            str(cell.agency.pk), agency_label, _escape(cell.token), _escape(cell.value),
            _escape(cell.numerator), _escape(cell.denominator), _escape(cell.note),
            " disabled" if closed or locked else "", locked, cell.errors, td,
        )


def cell_inputs_html(
    cell: Cell, *, closed: bool, with_notes: bool, locked: bool = False
) -> SafeString:
    """Return the inputs of ``cell``, suited to its kind, with its error messages.

    ``locked``: the agency's report is approved, so the inputs are disabled and the cell posts
    nothing, not even its version (a save then leaves it alone, see :meth:`Cell.read`).

    Built here rather than with a template include: a 150-agency grid has 2,100 cells, and
    an include per cell costs seconds.
    """
    column = _Column(cell.indicator, targeted=cell.targeted, with_notes=with_notes,
                     words=_cell_words(get_language()))
    html = column.cell_html(cell, _escape(cell.agency.display_name), closed=closed,
                            locked=locked, td=False)
    return mark_safe(html)  # noqa: S308 - every value in it is escaped


def posted_agency_ids(data) -> set[int]:
    """Return the ids of the agencies whose cells ``data`` (a grid's POST) holds, as named by
    the cells' hidden ``-o`` inputs (``r<agency>-<indicator>-o``); names not of that form are
    left out.

    A page of a tier's grid saves the rows it was shown with even when the tier's pages have
    moved since (an agency added or renamed before them), so that nothing typed is dropped.
    """
    ids = set()
    for name in data:
        if name.startswith("r") and name.endswith("-o"):
            parts = name[1:-2].split("-")
            if len(parts) == 2:
                agency_id = parse_ascii_int(parts[0])
                if agency_id is not None and parse_ascii_int(parts[1]) is not None:
                    ids.add(agency_id)
    return ids


class Row:
    """One agency's row: its cells, made from its shown results when first asked for (a grid
    shown without a post renders straight from the results, see :meth:`ResultGrid.rows_html`).
    """

    def __init__(self, grid: "ResultGrid", agency: Agency, shown: dict, *,
                 approved: bool = False):
        self.grid = grid
        self.agency = agency
        # indicator id -> the result the cell shows (a grid_results row or a Result).
        self.shown = shown
        # The agency's report is approved: its figures are shown read-only until reopened.
        self.approved = approved

    @functools.cached_property
    def cells(self) -> list[Cell]:
        agency, shown, targeted_ids = self.agency, self.shown, self.grid.targeted_ids
        return [
            Cell(
                agency=agency,
                indicator=indicator,
                result=shown.get(indicator.pk),
                targeted=indicator.pk in targeted_ids,
            )
            for indicator in self.grid.indicators
        ]

    @property
    def has_errors(self) -> bool:
        # Cells not made yet have not been read: none has an error.
        return "cells" in self.__dict__ and any(cell.errors for cell in self.cells)


_EMPTY_TOKEN = make_token(None)


class _GridHtml:
    """The HTML of a grid's rows in the active language, its columns made once."""

    def __init__(self, grid: "ResultGrid", *, closed: bool, agency_url_prefix: str = ""):
        self.words = words = _cell_words(get_language())
        self.columns = [
            _Column(indicator, targeted=indicator.pk in grid.targeted_ids,
                    with_notes=grid.with_notes, words=words)
            for indicator in grid.indicators
        ]
        self.closed = closed
        self.agency_url_prefix = agency_url_prefix
        self.approved_mark = (
            f' <span class="approved-mark" title="{_escape(words["approved_title"])}">'
            f'{_escape(words["approved"])}</span>'
        )

    def cells(self, row: Row) -> str:
        """Return the table cells of ``row``."""
        agency_label = _escape(row.agency.display_name)
        locked = row.approved
        disabled = " disabled" if self.closed or locked else ""
        if "cells" in row.__dict__:
            # Read from a post: what was typed, and the errors.
            return "".join(
                column.cell_html(cell, agency_label, closed=self.closed, locked=locked)
                for column, cell in zip(self.columns, row.cells, strict=True)
            )
        agency_id = str(row.agency.pk)
        shown = row.shown
        parts = []
        for column in self.columns:
            result = shown.get(column.indicator_id)
            if result is None:
                parts.append(column.html(agency_id, agency_label, _EMPTY_TOKEN, "", "", "", "",
                                         disabled, locked))
                continue
            # Stored figures are whole numbers and a token digits, "|" and hex: nothing to
            # escape. The token as make_token writes it, spelt out for speed.
            value, numerator, denominator = result.value, result.numerator, result.denominator
            value = "" if value is None else str(value)
            numerator = "" if numerator is None else str(numerator)
            denominator = "" if denominator is None else str(denominator)
            note = result.note
            token = f"{result.version}|{value}|{numerator}|{denominator}|{_note_hash(note)}"
            parts.append(column.html(agency_id, agency_label, token, value, numerator,
                                     denominator, _escape(note) if note else "", disabled,
                                     locked))
        return "".join(parts)

    def row(self, row: Row) -> str:
        """Return the whole table row of ``row``: its agency's header and its cells."""
        agency = row.agency
        url = _escape(self.agency_url_prefix + quote(agency.code, safe=_URL_SAFE) + "/")
        errors = ' class="has-errors"' if row.has_errors else ""
        return (
            f"<tr{errors}>\n"
            f'          <th scope="row" class="agency-col"><a href="{url}" tabindex="-1">'
            f'{_escape(agency.display_name)}</a>{self.approved_mark if row.approved else ""}'
            f"</th>\n          {self.cells(row)}\n        </tr>"
        )


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
        by_agency: dict[int, dict] = {}
        for result in results:
            by_agency.setdefault(result.agency_id, {})[result.indicator_id] = result
        approved_ids = set(approved_ids)
        self.rows = [
            Row(self, agency, by_agency.get(agency.pk, {}), approved=agency.pk in approved_ids)
            for agency in agencies
        ]
        self.entries: list[ResultEntry] = []
        self.message = ""

    def cells(self):
        for row in self.rows:
            yield from row.cells

    def rendered_rows(self, *, closed: bool, agency_url_prefix: str):
        """Return (row, its table row's HTML) pairs for the grid template.

        ``agency_url_prefix``: the address of an agency's page without its code, which the row's
        header links (made once, not once per row).
        """
        html = _GridHtml(self, closed=closed, agency_url_prefix=agency_url_prefix)
        return [
            (row, mark_safe(html.row(row)))  # noqa: S308 - built from escaped parts
            for row in self.rows
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
