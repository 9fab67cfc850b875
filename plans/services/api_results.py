"""Results sent by a program through the API: the upload's import, with a version check.

The list of results is written as the rows of a ``results.csv`` and given to
:func:`plans.services.imports.results_import`, the service of the upload and of
``import_results``: the same checks, the same locks (a closed plan, an approved report), all or
nothing, and history entries on the channel ``api`` that name the token. What the API adds is
the version check a client asks for by sending the version it read (a result changed since is
a conflict, and nothing is written), and, for a reporter's token, the freeze of a submitted
report: its reporter changes nothing of it until it is returned, as on its agency's page.
"""

import bisect
import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from plans.files.columns import RESULT_COLUMNS
from plans.models import ApiToken, Change, Plan, Result, Submission
from plans.policy.access import is_reporter, plan_read_only_message
from plans.services.imports import ImportRefused, ImportReport, ReadBudget, results_import
from plans.services.imports.result_checks import YES_NO_VALUES
from plans.words.messages import figures_in_words, person_text, time_text

# The keys of one result sent, in the order of results.csv after its year.
RESULT_KEYS = ("agency_code", "indicator_code", "value", "numerator", "denominator", "note")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Words of the service's Vietnamese messages that tell which key a message is about, after the
# column names themselves.
FIELD_WORDS = (("tử số", "numerator"), ("mẫu số", "denominator"), ("giá trị", "value"),
               ("ghi chú", "note"))


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with the result at ``index`` (None: the request as a whole)."""

    index: int | None
    field: str | None
    message: str
    message_en: str


@dataclass(frozen=True)
class Conflict:
    """A result changed since the version the client read: ``current`` is it now (or None)."""

    index: int
    agency_code: str
    indicator_code: str
    current: Result | None
    message: str
    message_en: str


class ResultsLocked(Exception):
    """The plan takes no results now (closed, or a draft): nothing was written."""

    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en


class ResultsInvalid(Exception):
    """Some results are wrong: nothing was written; ``problems`` says which and why."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class ResultsConflict(Exception):
    """Some results changed since the versions sent: nothing was written."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts


def results_post(
    *, plan: Plan, results: list[dict], user: User, token: ApiToken, agency_ids: set[int] | None,
    dry_run: bool,
) -> ImportReport:
    """Create or update ``results`` (dicts of RESULT_KEYS and an optional ``version``) of
    ``plan``'s province and year, all or nothing, as ``user`` through ``token``.

    ``agency_ids`` limits the agencies (a reporter's), None for the whole province. Raise
    ResultsLocked for a closed or draft plan, ResultsConflict when a result sent with a
    ``version`` has another version now and other figures than those sent, ResultsInvalid
    when the import refuses some rows. With ``dry_run`` nothing is written either way.
    """
    refusal = plan_read_only_message(user, plan)
    if refusal:
        with translation.override("en"):
            refusal_en = plan_read_only_message(user, plan)
        raise ResultsLocked(refusal, refusal_en)
    source, starts = _results_csv(plan.year, results)
    try:
        with transaction.atomic():
            conflicts = _conflicts(plan, results, user)
            if conflicts:
                raise ResultsConflict(conflicts)
            frozen = _submitted_for_reporter(plan, results, user)
            if frozen:
                raise ResultsInvalid(frozen)
            before = Change.objects.aggregate(last=Max("pk"))["last"] or 0
            report = _import(plan, source, user=user, agency_ids=agency_ids, dry_run=dry_run)
            if not dry_run:
                # The import's history entries are written in bulk; name the token on them.
                Change.objects.filter(
                    pk__gt=before, channel=Change.Channel.API, changed_by=user,
                    api_token__isnull=True,
                ).update(api_token=token)
    except ImportRefused as refused:
        raise ResultsInvalid(
            _problems(plan, source, starts, results, refused.report, user, agency_ids)
        ) from None
    return report


def _submitted_for_reporter(plan: Plan, results: list[dict], user: User) -> list[RowProblem]:
    """Return a problem for each result a reporter sends for an agency whose report is
    submitted (waiting for review), locking those reports until the transaction ends."""
    if not is_reporter(user):
        return []
    submitted = {
        code: name for code, name in Submission.objects.select_for_update(of=("self",))
        .filter(plan=plan, agency__code__in={result["agency_code"] for result in results},
                state=Submission.State.SUBMITTED)
        .order_by("pk").values_list("agency__code", "agency__name")
    }
    problems = []
    for index, result in enumerate(results):
        name = submitted.get(result["agency_code"])
        if name is None:
            continue
        messages = []
        for language in ("vi", "en"):
            with translation.override(language):
                messages.append(_(
                    "Báo cáo năm %(year)s của %(agency)s đã gửi và đang chờ duyệt: cán bộ báo "
                    "cáo không sửa số liệu của báo cáo cho đến khi báo cáo được trả lại."
                ) % {"year": plan.year, "agency": name})
        problems.append(RowProblem(index, "agency_code", *messages))
    return problems


def _import(
    plan: Plan, source: bytes, *, user: User, agency_ids: set[int] | None, dry_run: bool
) -> ImportReport:
    return results_import(
        source=source, user=user, channel=Change.Channel.API, dry_run=dry_run,
        provinces=[plan.province_id], agencies=agency_ids, years=[plan.year],
        budget=ReadBudget.web(),
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "1" if value else "0"
    return str(value)


def _results_csv(year: int, results: list[dict]) -> tuple[bytes, list[int]]:
    """Return ``results`` as a results.csv, and the line each result starts on."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    starts, line = [], 2
    for result in results:
        start = output.tell()
        writer.writerow([str(year), *(_cell(result.get(key)) for key in RESULT_KEYS)])
        starts.append(line)
        # The reader ends a line at \r\n, \r or \n, inside a quoted note too.
        line += len(LINE_BREAK.findall(output.getvalue()[start:]))
    return output.getvalue().encode(), starts


def _problems(
    plan: Plan, source: bytes, starts: Any, results: list[dict], report: ImportReport,
    user: User, agency_ids: set[int] | None,
) -> list[RowProblem]:
    """Return the import's errors by index, in Vietnamese and English.

    The English words come from the same import run again in English, as a dry run (it
    writes nothing); its errors are the same, in the same order.
    """
    with translation.override("en"):
        try:
            _import(plan, source, user=user, agency_ids=agency_ids, dry_run=True)
            english = []
        except ImportRefused as refused:
            english = [error.message for error in refused.report.errors]
    if len(english) != len(report.errors):
        english = [error.message for error in report.errors]
    problems = []
    for error, message_en in zip(report.errors, english, strict=True):
        index = bisect.bisect_right(starts, error.line) - 1 if error.line >= 2 else None
        sent = results[index] if index is not None and 0 <= index < len(results) else {}
        problems.append(
            RowProblem(index, _field_of(error.message, sent), error.message, message_en)
        )
    return problems


def _field_of(message: str, sent: dict) -> str | None:
    """Return the key of ``sent`` that ``message`` is about, None for the row as a whole."""
    for key in RESULT_KEYS:
        if re.search(rf"\b{key}\b", message):
            return key
    for key in ("agency_code", "indicator_code"):
        code = sent.get(key)
        if code and re.search(rf"(?<![\w-]){re.escape(str(code))}(?![\w-])", message):
            return key
    lowered = message.lower()
    for words, key in FIELD_WORDS:
        if words in lowered:
            return key
    return None


def _figures(result: dict) -> tuple | None:
    """Return (value, numerator, denominator, note) as stored for ``result``, None if unsure."""
    value = result.get("value")
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, str):
        value = YES_NO_VALUES.get(value.strip().lower())
        if value is None:
            return None
    return (value, result.get("numerator"), result.get("denominator"),
            (result.get("note") or "").strip())


def _conflicts(plan: Plan, results: list[dict], user: User) -> list[Conflict]:
    """Return the conflicts of the results sent with a version; lock the results they name."""
    versioned = [(index, result) for index, result in enumerate(results)
                 if result.get("version") is not None]
    if not versioned:
        return []
    stored = {
        (result.agency.code, result.indicator.code): result
        for result in Result.objects.select_for_update(of=("self",))
        .select_related("agency", "indicator", "updated_by")
        .filter(
            agency__province_id=plan.province_id, year=plan.year,
            agency__code__in={result["agency_code"] for _index, result in versioned},
            indicator__code__in={result["indicator_code"] for _index, result in versioned},
        )
    }
    conflicts = []
    for index, result in versioned:
        current = stored.get((result["agency_code"], result["indicator_code"]))
        if (current.version if current else 0) == result["version"]:
            continue
        if current is not None and _figures(result) == (
            current.value, current.numerator, current.denominator, current.note
        ):
            # Already what the client wants (a retry after a lost answer): nothing to refuse.
            continue
        messages = []
        for language in ("vi", "en"):
            with translation.override(language):
                messages.append(_conflict_message(result, current, user))
        conflicts.append(Conflict(index, result["agency_code"], result["indicator_code"],
                                  current, *messages))
    return conflicts


def _conflict_message(result: dict, current: Result | None, reader: User) -> str:
    if current is None:
        return _(
            "Kết quả của đơn vị %(agency)s, chỉ tiêu %(indicator)s đã bị xoá sau phiên bản "
            "%(version)s mà bạn gửi; không có gì được ghi."
        ) % {"agency": result["agency_code"], "indicator": result["indicator_code"],
             "version": result["version"]}
    who = person_text(current.updated_by, reader=reader) if current.updated_by else _(
        "người khác")
    return _(
        "Kết quả của đơn vị %(agency)s, chỉ tiêu %(indicator)s đã được %(who)s lưu lúc "
        "%(when)s (phiên bản %(current)s, bạn gửi phiên bản %(version)s): %(theirs)s. Không "
        "có gì được ghi; hãy đọc lại rồi gửi lại nếu vẫn muốn ghi đè."
    ) % {
        "agency": result["agency_code"], "indicator": result["indicator_code"], "who": who,
        "when": time_text(current.updated_at), "current": current.version,
        "version": result["version"],
        "theirs": figures_in_words(
            kind=current.indicator.kind, value=current.value, numerator=current.numerator,
            denominator=current.denominator,
        ),
    }
