"""Figures in words for people: "85,0 %", "trên 80 %", "từ 3 dịch vụ trở lên", "Đạt", "412/430".

The one place a figure is put into words: the dashboard's template tags, the comparison, the
progress workbook and the entry pages call these functions, so that a
figure reads the same everywhere. Every figure comes from :mod:`plans.rules.progress` (a
``Progress``
or its rounded value) or from a stored result; nothing is recomputed here. Numbers follow the
active language (``85,0`` in Vietnamese, ``85.0`` in English).
"""

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from django.utils import formats, numberformat
from django.utils.translation import (
    get_language,
    gettext_lazy,
    gettext_noop,
    ngettext,
    pgettext_lazy,
)
from django.utils.translation import gettext as _

from plans.rules import progress

# The plain words refusals need too; importable from here as before for the pages.
from plans.words.messages import approved_lock_message as approved_lock_message
from plans.words.messages import change_figures_text as change_figures_text
from plans.words.messages import date_text as date_text
from plans.words.messages import days_left_text as days_left_text
from plans.words.messages import deadline_text as deadline_text
from plans.words.messages import figures_in_words as figures_in_words
from plans.words.messages import person_text as person_text
from plans.words.messages import plan_closed_message as plan_closed_message
from plans.words.messages import plan_draft_message as plan_draft_message
from plans.words.messages import time_text as time_text

# What a count of an indicator counts, for "từ 3 dịch vụ trở lên". Indicators added later by admins
# fall back on their kind: a yes/no count is a number of agencies, anything else a bare number.
COUNT_NOUNS = {
    "PUBLIC_SERVICES_L3": gettext_lazy("dịch vụ"),
    "PUBLIC_SERVICES_L4": gettext_lazy("dịch vụ"),
    "PUBLIC_SERVICES_FULL": gettext_lazy("dịch vụ"),
    "PUBLIC_SERVICES_PARTIAL": gettext_lazy("dịch vụ"),
    "OFFICIAL_EMAIL": gettext_lazy("cán bộ"),
    "E_DOCUMENTS": gettext_lazy("văn bản"),
    "ONLINE_MEETINGS": gettext_lazy("cuộc họp"),
}
# "đơn vị" is also a unit of measure elsewhere: the context keeps the English "agencies".
AGENCIES_NOUN = pgettext_lazy("count of agencies", "đơn vị")
# The four comparators in the words of a plan's text ("từ 100 % trở lên", "trên 80 %"), the
# same on the dashboard, the report and the workbook; only the one a target uses is translated.
COMPARATOR_WORDS = {
    ">": gettext_noop("trên %(value)s"),
    ">=": gettext_noop("từ %(value)s trở lên"),
    "<=": gettext_noop("không quá %(value)s"),
    "<": gettext_noop("dưới %(value)s"),
}
DASH = "—"


def number_text(value, places=None) -> str:
    """Return ``value`` in the active language's format (``1.234,5`` in Vietnamese)."""
    # Grouped whatever settings.USE_THOUSAND_SEPARATOR says: "23.171" reads, "23171" does not.
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def number_formatter() -> Callable[..., str]:
    """Return :func:`number_text` bound to the active language's separators, looked up once:
    the same text, for a loop over thousands of numbers (a workbook's rows)."""
    language = get_language()
    decimal_separator = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = formats.get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_separator = formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)

    def text(value, places=None) -> str:
        if type(value) is int and not places and grouping == 3:
            # What numberformat.format makes of a whole number grouped by thousands.
            return f"{value:,}".replace(",", thousand_separator)
        return numberformat.format(value, decimal_separator, places, grouping,
                                   thousand_separator, force_grouping=True, use_l10n=True)

    return text


def percent_text(value: Decimal) -> str:
    """Return a rounded percentage with one decimal: "85,0 %"."""
    return _("%(number)s %%") % {"number": number_text(value, 1)}


def whole_percent_text(value) -> str:
    """Return a percentage without decimals, as on a chart's axis: "75 %"."""
    return _("%(number)s %%") % {"number": number_text(value, 0)}


def count_noun(indicator) -> str:
    """Return what a count of ``indicator`` counts ("dịch vụ"), or "" for a bare number."""
    noun = COUNT_NOUNS.get(indicator.code)
    if noun is None and indicator.kind == progress.YES_NO:
        noun = AGENCIES_NOUN
    return str(noun) if noun else ""


def count_text(value, indicator) -> str:
    """Return a count with what it counts: "3 dịch vụ"."""
    noun = count_noun(indicator)
    number = number_text(value, 0)
    return _("%(number)s %(noun)s") % {"number": number, "noun": noun} if noun else number


def achieved_text(prog: progress.Progress, indicator) -> str:
    """Return the achieved value as shown: "85,0 %", "3 dịch vụ", or a dash without data."""
    rounded = prog.achieved_rounded
    if rounded is None:
        return DASH
    if prog.unit == progress.PERCENT:
        return percent_text(rounded)
    return count_text(rounded, indicator)


def target_amount_text(target) -> str:
    """Return a target's value without its comparator: "80 %", "3 dịch vụ"."""
    value = target.value_display()
    if target.unit == progress.PERCENT:
        return _("%(number)s %%") % {"number": number_text(value)}
    return count_text(value, target.indicator)


def target_text(target) -> str:
    """Return a target in words: "trên 80 %", "từ 3 dịch vụ trở lên", "dưới 5 %"."""
    return _(COMPARATOR_WORDS[target.comparator]) % {"value": target_amount_text(target)}


def status_label(status) -> str:
    """Return the status in words: Đạt, Chưa đạt, Chưa có số liệu."""
    return str(progress.Status(status).label)


def status_class(status) -> str:
    """Return the CSS class that marks a status beside its label: ``status-met``, ..."""
    return f"status-{progress.Status(status).value}"


def completeness_text(prog: progress.Progress) -> str:
    """Return how many agencies in scope reported: "18/20 đơn vị đã báo cáo"; of a checklist
    target, how many of its items are done: "2/3 hạng mục đã hoàn thành"."""
    if prog.checklist:
        return _("%(done)s/%(items)s hạng mục đã hoàn thành") % {
            "done": number_text(prog.numerator or 0, 0),
            "items": number_text(prog.agencies_in_scope, 0),
        }
    return _("%(reporting)s/%(in_scope)s đơn vị đã báo cáo") % {
        "reporting": number_text(prog.agencies_reporting, 0),
        "in_scope": number_text(prog.agencies_in_scope, 0),
    }


def ratio_text(prog: progress.Progress) -> str:
    """Return the numerator over the denominator ("412/430"), or the numerator of a count."""
    if prog.numerator is None:
        return ""
    if prog.denominator is None:
        return number_text(prog.numerator, 0)
    return f"{number_text(prog.numerator, 0)}/{number_text(prog.denominator, 0)}"


def agency_figure_text(figure, target) -> str:
    """Return what one agency reported, as it reads: "Có", "412/430 (95,8 %)", "3 dịch vụ"."""
    return agency_figure_words(target)(figure)


def agency_figure_words(target) -> Callable[..., str]:
    """Return a function of an agency's figure for ``target`` giving
    :func:`agency_figure_text`, with the words translated and the number format looked up
    once, for a sheet listing every agency in scope.

    The function takes the figure and, optionally, its share already rounded to one decimal
    (a ratio target in percent), which it would otherwise round itself.
    """
    kind = target.indicator.kind
    if kind == progress.YES_NO:
        yes, no = _("Có"), _("Không")

        def yes_no(figure, rounded=None) -> str:
            result = figure.result
            if result is None:
                return DASH
            return yes if result.value else no

        return yes_no
    number = number_formatter()
    if kind == progress.RATIO:
        in_percent = target.unit == progress.PERCENT
        ratio_share, percent = _("%(ratio)s (%(share)s)"), _("%(number)s %%")
        shares: dict = {}  # many agencies share a rounded share (100,0 %)

        def ratio(figure, rounded=None) -> str:
            result = figure.result
            if result is None:
                return DASH
            text = f"{number(result.numerator, 0)}/{number(result.denominator, 0)}"
            if in_percent and figure.achieved is not None:
                if rounded is None:
                    rounded = progress.round_half_away(figure.achieved, 1)
                share = shares.get(rounded)
                if share is None:
                    share = shares[rounded] = percent % {"number": number(rounded, 1)}
                return ratio_share % {"ratio": text, "share": share}
            return text

        return ratio
    noun, counted = count_noun(target.indicator), _("%(number)s %(noun)s")

    def count(figure, rounded=None) -> str:
        result = figure.result
        if result is None:
            return DASH
        text = number(result.value, 0)
        return counted % {"number": text, "noun": noun} if noun else text

    return count


def untargeted_text(prog: progress.Progress, indicator) -> str:
    """Return the figure of an indicator reported without a target.

    Yes/no: the share of reporting agencies that said yes ("12/20 đơn vị có (60,0 %)"); ratio:
    "412/430 (95,8 %)"; count: the sum. A yes/no total over tiers (unit count): "29/168 đơn vị có".
    """
    rounded = prog.achieved_rounded
    if rounded is None:
        return DASH
    if indicator.kind == progress.YES_NO and prog.unit == progress.COUNT:
        # Summed over tiers: how many said yes, no share of unlike agencies.
        return _("%(yes)s/%(reporting)s đơn vị có") % {
            "yes": number_text(prog.numerator, 0),
            "reporting": number_text(prog.agencies_reporting, 0),
        }
    if prog.unit == progress.COUNT:
        return count_text(rounded, indicator)
    if indicator.kind == progress.YES_NO:
        return _("%(yes)s/%(reporting)s đơn vị có (%(share)s)") % {
            "yes": number_text(prog.numerator, 0),
            "reporting": number_text(prog.agencies_reporting, 0),
            "share": percent_text(rounded),
        }
    return _("%(ratio)s (%(share)s)") % {
        "ratio": ratio_text(prog),
        "share": percent_text(rounded),
    }


def progress_bar_label(prog: progress.Progress, target) -> str:
    """Return the text alternative of a target's progress bar, naming figure and target."""
    if prog.status == progress.Status.NO_DATA:
        return _("Chưa có số liệu; chỉ tiêu %(target)s") % {"target": target_text(target)}
    return _("Đạt được %(achieved)s; chỉ tiêu %(target)s") % {
        "achieved": achieved_text(prog, target.indicator),
        "target": target_text(target),
    }


def _checklist_verdict_text(prog: progress.Progress, target) -> str:
    """Return a checklist target's verdict: "2 trên 3 hạng mục đã hoàn thành; chỉ tiêu là từ 2
    dịch vụ trở lên: đạt."."""
    if prog.status == progress.Status.NO_DATA:
        return _("Chỉ tiêu chưa có hạng mục nào: chưa đánh giá được.")
    return _("%(done)s trên %(items)s hạng mục đã hoàn thành; chỉ tiêu là %(target)s: "
             "%(verdict)s.") % {
        "done": number_text(prog.numerator or 0, 0),
        "items": number_text(prog.agencies_in_scope, 0),
        "target": target_text(target),
        "verdict": status_label(prog.status).lower(),
    }


def verdict_text(prog: progress.Progress, target) -> str:
    """Return how a target's verdict comes from its figures, in words, e.g. "28 trên 35 đơn vị
    trong phạm vi trả lời có: 28/35 = 80,0 %; chỉ tiêu là trên 80 %: chưa đạt."

    Every number is ``prog``'s (numerator, denominator, agencies, status); a percentage that
    rounding moves to the other side of the target says so. A provisional figure ends with how
    many agencies have not reported.
    """
    kind = target.indicator.kind
    missing = prog.agencies_in_scope - prog.agencies_reporting
    if prog.checklist:
        return _checklist_verdict_text(prog, target)
    if prog.status == progress.Status.NO_DATA:
        if prog.agencies_reporting == 0:
            return _(
                "Chưa có đơn vị nào báo cáo (0/%(in_scope)s đơn vị trong phạm vi): chưa đánh "
                "giá được."
            ) % {"in_scope": number_text(prog.agencies_in_scope, 0)}
        # Agencies reported, but a percentage of a zero denominator has no value.
        sentence = ngettext(
            "%(reporting)s đơn vị đã báo cáo, tổng mẫu số bằng 0: chưa tính được tỉ lệ, chưa "
            "đánh giá được.",
            "%(reporting)s đơn vị đã báo cáo, tổng mẫu số bằng 0: chưa tính được tỉ lệ, chưa "
            "đánh giá được.",
            prog.agencies_reporting,
        ) % {"reporting": number_text(prog.agencies_reporting, 0)}
        return _join(sentence, _provisional_sentence(missing, kind=kind, unit=prog.unit))

    assert prog.numerator is not None  # only NO_DATA lacks the figures
    numerator = number_text(prog.numerator, 0)
    if kind == progress.YES_NO and prog.unit == progress.PERCENT:
        figures = _("%(yes)s trên %(in_scope)s đơn vị trong phạm vi trả lời có") % {
            "yes": numerator,
            "in_scope": number_text(prog.agencies_in_scope, 0),
        }
    elif kind == progress.YES_NO:
        figures = ngettext(
            "%(yes)s đơn vị trong phạm vi trả lời có",
            "%(yes)s đơn vị trong phạm vi trả lời có",
            prog.numerator,
        ) % {"yes": numerator}
    elif prog.unit == progress.PERCENT:
        figures = ngettext(
            "%(reporting)s đơn vị đã báo cáo có tổng tử số %(numerator)s, tổng mẫu số "
            "%(denominator)s",
            "%(reporting)s đơn vị đã báo cáo có tổng tử số %(numerator)s, tổng mẫu số "
            "%(denominator)s",
            prog.agencies_reporting,
        ) % {
            "reporting": number_text(prog.agencies_reporting, 0),
            "numerator": numerator,
            "denominator": number_text(prog.denominator, 0),
        }
    else:
        figures = ngettext(
            "%(reporting)s đơn vị đã báo cáo, cộng lại được %(amount)s",
            "%(reporting)s đơn vị đã báo cáo, cộng lại được %(amount)s",
            prog.agencies_reporting,
        ) % {
            "reporting": number_text(prog.agencies_reporting, 0),
            "amount": count_text(prog.numerator, target.indicator),
        }
    verdict = status_label(prog.status).lower()
    if prog.unit == progress.PERCENT:
        achieved = prog.achieved
        rounded = prog.achieved_rounded
        assert achieved is not None and rounded is not None
        figures = _("%(figures)s: %(numerator)s/%(denominator)s %(equals)s %(share)s") % {
            "figures": figures,
            "numerator": numerator,
            "denominator": number_text(prog.denominator, 0),
            # "≈" when the share shown is rounded.
            "equals": "=" if achieved == Fraction(rounded) else "≈",
            "share": percent_text(rounded),
        }
        if progress.meets(prog.comparator, Fraction(rounded), prog.target) != prog.is_met:
            # Rounded, the share reads as meeting the target when it does not, or the reverse.
            words = (
                _("%(verdict)s (trước khi làm tròn, tỉ lệ thấp hơn %(target)s)")
                if achieved < Fraction(prog.target)
                else _("%(verdict)s (trước khi làm tròn, tỉ lệ cao hơn %(target)s)")
            )
            verdict = words % {"verdict": verdict, "target": target_amount_text(target)}
    sentence = _("%(figures)s; chỉ tiêu là %(target)s: %(verdict)s.") % {
        "figures": figures,
        "target": target_text(target),
        "verdict": verdict,
    }
    return _join(sentence, _provisional_sentence(missing, kind=kind, unit=prog.unit))


def _provisional_sentence(missing: int, *, kind: str, unit: str) -> str:
    """Return the sentence saying that ``missing`` agencies have not reported, or ""."""
    if not missing:
        return ""
    if kind == progress.YES_NO and unit == progress.PERCENT:
        # They are in the denominator: say how they count.
        return _("%(provisional)s (được tính là chưa có).") % {
            "provisional": provisional_text(missing)
        }
    return _("%(provisional)s.") % {"provisional": provisional_text(missing)}


def _join(*sentences: str) -> str:
    return " ".join(sentence for sentence in sentences if sentence)




def what_to_count_text(indicator) -> str:
    """Return what a person counts for ``indicator``, from its labels, for an entry page:
    "tử số: số cán bộ có hộp thư công vụ / mẫu số: tổng số cán bộ", "có: …" for a yes/no,
    the label of a count. Without labels, the kind's inputs: "tử số / mẫu số", "có / không",
    "số lượng"."""
    numerator = _label_in_text(indicator.numerator_label)
    if indicator.kind == progress.RATIO:
        denominator = _label_in_text(indicator.denominator_label)
        if not (numerator or denominator):
            return _("tử số / mẫu số")
        return _("tử số: %(numerator)s / mẫu số: %(denominator)s") % {
            "numerator": numerator or _("số đạt"),
            "denominator": denominator or _("tổng số"),
        }
    if indicator.kind == progress.YES_NO:
        return _("có: %(what)s") % {"what": numerator} if numerator else _("có / không")
    return numerator or _("số lượng")


def _label_in_text(label: str) -> str:
    """Return ``label`` as it reads inside a phrase: "Số cán bộ" gives "số cán bộ"; a first
    word in capitals ("UBND", "LAN") is kept."""
    label = " ".join(label.split())
    first_word = label.split(" ", 1)[0]
    if len(first_word) > 1 and first_word.isupper():
        return label
    return label[:1].lower() + label[1:]




def as_of_text(moment) -> str:
    """Return when the figures shown last changed: "Số liệu đến: 06:30 30/11/2024"."""
    if moment is None:
        return _("Chưa có số liệu nào được nhập")
    return _("Số liệu đến: %(time)s") % {"time": time_text(moment)}


def provisional_text(agencies_missing: int) -> str:
    """Return that figures are provisional while agencies in scope have not reported, or ""."""
    if not agencies_missing:
        return ""
    return ngettext(
        "Số liệu tạm thời: còn %(count)s đơn vị chưa báo cáo",
        "Số liệu tạm thời: còn %(count)s đơn vị chưa báo cáo",
        agencies_missing,
    ) % {"count": number_text(agencies_missing, 0)}


def report_counts_text(counts: dict) -> str:
    """Return where a plan's reports stand in whole words: "179 đơn vị: 1 đã gửi chờ duyệt,
    1 đã duyệt, 177 chưa gửi". ``counts`` as plans.selectors.figures.submission_counts gives
    them (``submitted`` includes the approved)."""
    agencies, submitted, approved = counts["agencies"], counts["submitted"], counts["approved"]
    return ngettext(
        "%(count)s đơn vị: %(waiting)s đã gửi chờ duyệt, %(approved)s đã duyệt, %(unsent)s chưa "
        "gửi",
        "%(count)s đơn vị: %(waiting)s đã gửi chờ duyệt, %(approved)s đã duyệt, %(unsent)s chưa "
        "gửi",
        agencies,
    ) % {
        "count": number_text(agencies, 0),
        "waiting": number_text(submitted - approved, 0),
        "approved": number_text(approved, 0),
        "unsent": number_text(max(agencies - submitted, 0), 0),
    }
