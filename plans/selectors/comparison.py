"""The comparison of provinces for a year: one row per indicator and scope, a column per province.

Figures come from :func:`plans.selectors.progress.targets_progress` (two queries for every province
at
once); the words come from :mod:`plans.words.wording`, so that a cell says what the province's
dashboard says. The national page has about a thousand cells: each is prepared once
here, with the words that repeat memoised, and the template only prints it.

A province that covers more land now than in the year (the 2025 merger: a predecessor still
active then) shows under its own figure the figure of the territory it covers now, from
:mod:`plans.selectors.territory`: its agencies and its predecessors' summed, never percentages
averaged, marked as including the predecessors' figures.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from plans.models import Plan, Target
from plans.rules import progress
from plans.selectors import caching, territory
from plans.selectors import progress as selectors
from plans.selectors.checklists import with_item_counts
from plans.words.collation import vietnamese_key
from plans.words.wording import achieved_text, status_class, status_label, target_text


def _compare_sort_key(province_id, cells):
    """Sort rows by one province: not met first, then met, then no data, then no target;
    within a status by achieved value, lowest first."""
    rank = {progress.Status.NOT_MET: 0, progress.Status.MET: 1, progress.Status.NO_DATA: 2}

    def key(line):
        item, cell = cells[line["key"]][province_id]
        if not cell.status:
            return (3, 0)
        return (rank[item.progress.status], item.progress.achieved or 0)

    return key


@dataclass(frozen=True, slots=True)
class CompareCell:
    """One province's figure in the comparison table, in words, ready to print.

    A province that sets no target for the row's indicator and scope gets a cell too when its
    agencies in that scope reported: the achieved value, uncoloured, without status or link
    (``status`` and ``url`` empty). ``territory`` is, for a province that now covers its
    predecessors' land too, the achieved value over that whole territory in the year; "" for
    the others.
    """

    status: str
    url: str
    achieved: str
    target_words: str
    status_class: str
    status_label: str
    provisional: bool
    territory: str = ""


def _compare_cells(items, year: int, stand_ins: set) -> list:
    """Return a :class:`CompareCell` per target progress, in the order of ``items``.

    ``stand_ins`` holds the ids of the unsaved targets that stand for "no target here". The
    national page has hundreds of cells; the words that repeat (a target's words, a status's
    label, a province's link prefix) are made once, not per cell in the template.
    """
    link_prefix, target_words, status_words = {}, {}, {}
    no_target = _("không đặt chỉ tiêu")
    cells = []
    for item in items:
        target, prog = item.target, item.progress
        if id(target) in stand_ins:
            reported = prog.agencies_reporting > 0
            cells.append(
                CompareCell(
                    status="",
                    url="",
                    achieved=achieved_text(prog, target.indicator) if reported else "",
                    target_words=no_target,
                    status_class="cell-none",
                    status_label="",
                    provisional=reported and prog.is_provisional,
                )
            )
            continue
        province = target.plan.province
        if province.pk not in link_prefix:
            # The URL of a target with pk 0, cut before it: the same for every target.
            sample = reverse("plans:dashboard_target", args=[province.code, year, 0])
            link_prefix[province.pk] = sample[: sample.rindex("0/")]
        key = (target.indicator_id, target.unit, target.comparator, target.value)
        if key not in target_words:
            target_words[key] = _("chỉ tiêu %(target)s") % {"target": target_text(target)}
        if prog.status not in status_words:
            status_words[prog.status] = (status_class(prog.status), status_label(prog.status))
        css, label = status_words[prog.status]
        cells.append(
            CompareCell(
                status=prog.status,
                url=f"{link_prefix[province.pk]}{target.pk}/",
                achieved=achieved_text(prog, target.indicator),
                target_words=target_words[key],
                status_class=css,
                status_label=label,
                provisional=prog.is_provisional,
            )
        )
    return cells


def _stand_in(row_target: Target, province, year: int) -> Target:
    """Return an unsaved target of ``row_target``'s indicator, scope and unit in ``province``:
    its progress is what the province achieved there without a target."""
    return Target(
        plan=Plan(province=province, year=year),
        indicator=row_target.indicator,
        tiers=row_target.tiers,
        unit=row_target.unit,
        comparator=">=",
        value=0,
    )


def _with_territory(cells, columns, year: int, territories) -> list[dict]:
    """Give the cells of each province of ``columns`` that has predecessors active in
    ``year`` the figure of its territory; return the legend: a {"province", "predecessors"}
    per province whose cells got one.

    Two queries (agency counts, result sums) when some province has such predecessors, none
    otherwise.
    """
    merged = [territories[p.pk] for p in columns if len(territories[p.pk].members(year)) > 1]
    if not merged:
        return []
    indicator_ids = {item.target.indicator_id for row in cells.values()
                     for item, _cell in row.values()}
    figures = territory.TerritoryFigures(merged[0], more=merged[1:], years=[year],
                                         indicator_ids=indicator_ids)
    marked = set()
    for row in cells.values():
        for land in merged:
            if land.province_id not in row:
                continue
            item, cell = row[land.province_id]
            target = item.target
            point = figures.year(year=year, kind=target.indicator.kind, unit=target.unit,
                                 indicator_id=target.indicator_id, tiers=target.tier_list,
                                 territory=land)
            if point.includes_predecessors and point.progress.agencies_reporting:
                row[land.province_id] = (item, dataclasses.replace(
                    cell, territory=achieved_text(point.progress, target.indicator)
                ))
                marked.add(land.province_id)
    return [
        {
            "province": province,
            "predecessors": sorted(
                (territories[province.pk].names[pk]
                 for pk in territories[province.pk].members(year)[1:]),
                key=vietnamese_key,
            ),
        }
        for province in columns if province.pk in marked
    ]


def build(provinces, year: int, *, plans, sort: str, direction: str,
          territories: dict[int, territory.Territory] | None = None) -> dict:
    """Return the page's ``headers``, ``table``, the ``sort`` applied ("" for none) and the
    ``territory_notes`` (the legend of the cells with a territory figure).

    A row is an indicator and scope that at least one province targets; a province without
    that target shows what it achieved there, uncoloured. Provinces with neither a target nor
    a result in the table are left out. ``sort`` is a province code (others are ignored),
    ``direction`` "asc" or "desc". Only the targets of ``plans`` (a queryset: the plans the
    reader may see, drafts left out) make rows. Queries: the targets, agency counts and result
    sums, the provinces' territories (unless ``territories`` has them, from
    :func:`plans.selectors.territory.territories_of`), and the territories' agency counts and
    result sums when a province shown has predecessors active in ``year``.
    """
    targets = list(
        with_item_counts(
            Target.objects.filter(
                plan__in=plans, plan__year=year, plan__province__in=provinces
            ).select_related("plan", "indicator")
        )
    )
    # The provinces are loaded already: one object each, not one per target.
    by_pk = {province.pk: province for province in provinces}
    for target in targets:
        target.plan.province = by_pk[target.plan.province_id]
    rows: dict[tuple[str, str], Target] = {}
    targeted = set()
    for target in targets:
        key = (target.indicator.code, target.tiers)
        rows.setdefault(key, target)
        targeted.add((key, target.plan.province_id))
    stand_ins = [
        _stand_in(row_target, province, year)
        for key, row_target in rows.items()
        for province in provinces
        if (key, province.pk) not in targeted
    ]
    items = selectors.targets_progress(targets + stand_ins)
    stand_in_ids = {id(target) for target in stand_ins}
    prepared = _compare_cells(items, year, stand_in_ids)

    # (indicator code, tiers) → {province id: (item, cell)}, and the line of each such row.
    cells: dict[tuple[str, str], dict[int, tuple[selectors.TargetProgress, CompareCell]]] = {}
    shown = set()
    line_by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for item, cell in zip(items, prepared, strict=True):
        target = item.target
        key = (target.indicator.code, target.tiers)
        cells.setdefault(key, {})[target.plan.province_id] = (item, cell)
        if cell.status or cell.achieved:
            shown.add(target.plan.province_id)
        if id(target) not in stand_in_ids:
            order = selectors.display_order(item)
            line_by_key.setdefault(key, {"key": key, "target": target, "order": order})
    columns = [p for p in provinces if p.pk in shown]
    if territories is None:
        territories = territory.territories_of(columns)
    territory_notes = _with_territory(cells, columns, year, territories)
    lines = sorted(line_by_key.values(), key=lambda line: line["order"][:1] + line["order"][2:])

    by_code = {province.code: province for province in columns}
    if sort in by_code:
        lines.sort(key=_compare_sort_key(by_code[sort].pk, cells), reverse=direction == "desc")
    else:
        sort = ""
    table = [
        {
            "target": line["target"],
            "cells": [cells[line["key"]][p.pk][1] for p in columns],
        }
        for line in lines
    ]
    headers = []
    for province in columns:
        active = sort == province.code
        next_dir = "desc" if active and direction != "desc" else "asc"
        headers.append(
            {
                "province": province,
                "url": f"?sort={province.code}&dir={next_dir}",
                "aria_sort": ("descending" if direction == "desc" else "ascending")
                if active
                else None,
            }
        )
    return {"headers": headers, "table": table, "sort": sort,
            "territory_notes": territory_notes}


COMPARISON_PARTS = ("headers", "table", "sort", "territory_notes")


def kept_build(provinces, year: int, *, plans, sort: str, direction: str) -> tuple[dict, str]:
    """Return (:func:`build`'s parts, each read only when used; the key the page keeps its
    rendering of them under, "" when nothing is kept).

    From the cache when none of the provinces' year changed since: two queries on a hit (the
    provinces' territories, the versions of the year of the provinces and of their
    predecessors, whose figures a merged province shows). A page whose table is kept rendered
    reads none of the parts (hundreds of cells at 63 provinces)."""
    if not caching.enabled():
        return build(provinces, year, plans=plans, sort=sort, direction=direction), ""
    territories = territory.territories_of(provinces)
    province_ids = [province.pk for province in provinces]
    lands = tuple(sorted((pk, tuple(sorted(land.provinces.items())))
                         for pk, land in territories.items()))
    parts = (
        caching.figures_versions(
            {pk for land in territories.values() for pk in land.provinces}, [year]
        ),
        tuple(province_ids), year,
        # Who succeeded whom, and when: a merger recorded later changes the cells.
        lands,
        # The plans the reader may see (drafts or not), as SQL.
        str(plans.query), sort, direction,
    )
    return caching.kept_lazily(
        "comparison", parts,
        lambda: build(provinces, year, plans=plans, sort=sort, direction=direction,
                      territories=territories),
        COMPARISON_PARTS,
    )
