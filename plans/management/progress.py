"""How a long command shows its progress: one line on a terminal, rewritten as the work goes.

"Đã nhập 120.000/1.763.012 dòng · 48.000 dòng/giây · còn khoảng 0:35": the rows done, the rate
so far and the time left at that rate, in the active language's numbers. The line is rewritten
in place (a carriage return) at most every :data:`EVERY_SECONDS`, and ends with a newline when
the work ends, so that what the command prints next starts on a line of its own.
"""

import time
from collections.abc import Callable
from typing import IO

from django.utils.translation import gettext as _

from plans.words.wording import number_text

# The line is rewritten at most this often: more often a terminal only flickers.
EVERY_SECONDS = 0.5
# What a CSV's rows are counted in: large blocks, so that counting costs a read of the bytes.
COUNT_BLOCK = 1 << 20
XLSX_SIGNATURE = b"PK\x03\x04"


def data_rows_in(source: IO[bytes]) -> int | None:
    """Return how many data rows a CSV ``source`` has, by its line breaks; None for a workbook.

    The count reads the bytes once without decoding or parsing them (a few hundredths of a
    second for a country's results, against a minute or two of import) and puts the file
    back where it was. A note of several lines, or a blank line, counts a row too many: an
    estimate for the time left, never shown as a fact. A workbook's rows cannot be counted
    without reading its sheet through, the whole cost of an import: None.
    """
    start = source.tell()
    try:
        if source.read(len(XLSX_SIGNATURE)) == XLSX_SIGNATURE:
            return None
        source.seek(start)
        breaks = 0
        last = b"\n"
        while block := source.read(COUNT_BLOCK):
            breaks += block.count(b"\n")
            last = block[-1:]
        lines = breaks + (last != b"\n")
    finally:
        source.seek(start)
    return max(lines - 1, 0)  # less the header


def duration_text(seconds: float) -> str:
    """Return a duration as a clock shows it: "0:35", "12:04", "1:02:07"."""
    whole = max(round(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds_left:02d}"
    return f"{minutes}:{seconds_left:02d}"


class ProgressLine:
    """Tell ``write`` how far an import has gone; call it with the rows done so far.

    ``total`` is the rows expected (None: unknown, and no time left is told). ``clock`` gives
    seconds (a test gives its own); the line is rewritten at most every ``every`` seconds
    (:data:`EVERY_SECONDS` when None). :meth:`finish` writes the last line, with the whole
    duration, and its newline.
    """

    def __init__(
        self, write: Callable[[str], None], *, total: int | None, dry_run: bool = False,
        clock: Callable[[], float] = time.monotonic, every: float | None = None,
    ) -> None:
        self.write = write
        self.total = total
        self.dry_run = dry_run
        self.clock = clock
        self.every = EVERY_SECONDS if every is None else every
        self.started = clock()
        self.shown_at = self.started
        self.done = 0
        self.width = 0  # of the line on screen, to blank what a shorter one leaves

    def __call__(self, done: int) -> None:
        self.done = done
        now = self.clock()
        if now - self.shown_at < self.every:
            return
        self.shown_at = now
        self._show(self.text(done, now - self.started))

    def finish(self) -> None:
        """Write the line of the work done, and end it."""
        self._show(self.text(self.done, self.clock() - self.started, finished=True))
        self.write("\n")

    def text(self, done: int, elapsed: float, *, finished: bool = False) -> str:
        """Return the line for ``done`` rows after ``elapsed`` seconds."""
        # Counted from line breaks, the total is an estimate: the rows read are the fact.
        total = done if finished or self.total is None else max(self.total, done)
        numbers = {"done": number_text(done), "total": number_text(total)}
        if self.total is None and not finished:
            head = (_("Đã kiểm tra %(done)s dòng") if self.dry_run
                    else _("Đã nhập %(done)s dòng")) % numbers
        else:
            head = (_("Đã kiểm tra %(done)s/%(total)s dòng") if self.dry_run
                    else _("Đã nhập %(done)s/%(total)s dòng")) % numbers
        parts = [head]
        rate = done / elapsed if elapsed > 0 else None
        if rate is not None:
            parts.append(_("%(rate)s dòng/giây") % {"rate": number_text(round(rate))})
        if finished:
            parts.append(_("trong %(time)s") % {"time": duration_text(elapsed)})
        elif rate and self.total is not None:
            left = (total - done) / rate
            parts.append(_("còn khoảng %(time)s") % {"time": duration_text(left)})
        return " · ".join(parts)

    def _show(self, text: str) -> None:
        self.write("\r" + text + " " * (self.width - len(text)))
        self.width = len(text)
