"""The names agencies are shown to people by: one that tells apart agencies of the same name.

A province may have two communes named "UBND xã Bình An" under different districts. Wherever a
person reads an agency's name (grids, agency pages, their messages, dashboards, the workbook,
history), an agency whose name is repeated within its province and tier carries its parent:
"UBND xã Bình An – huyện Châu Thành". The names come from one query per province
(:func:`agency_display_names`); :func:`name_agencies` puts them on the agencies and orders them
alphabetically (plans.words.collation).
"""

from collections import Counter
from collections.abc import Iterable

from plans.models import Agency
from plans.words.collation import sorted_vietnamese

SEPARATOR = " – "
NARROW_UP_TO = 20


def parent_short_name(name: str) -> str:
    """Return how a parent is named after a child's name: "UBND huyện Châu Thành" gives
    "huyện Châu Thành", "UBND Thành phố Rạch Giá" gives "thành phố Rạch Giá"; a name not
    starting with "UBND " is kept whole."""
    if name.startswith("UBND ") and len(name) > 5:
        rest = name[5:]
        return rest[0].lower() + rest[1:]
    return name


def agency_display_names(
    province_id: int, *, names: Iterable[str] | None = None
) -> dict[int, str]:
    """Return {agency id: the name shown to people} for the province's agencies: one query.

    Every agency of the province counts, whatever its years, so that an agency is named the
    same on every page. ``names`` narrows the answer to agencies with one of those names (a page
    about one agency). A repeated name carries the parent's short name; if that still does not
    tell them apart (no parent, or the same parent), the code follows in brackets.
    """
    agencies = Agency.objects.filter(province_id=province_id).order_by()
    if names is not None:
        agencies = agencies.filter(name__in=list(names))
    rows: list[tuple[int, str, str, str | None, str]] = list(
        agencies.values_list("pk", "tier", "name", "parent__name", "code")
    )
    repeats = Counter((tier, name) for _, tier, name, _, _ in rows)
    shown = {}
    for pk, tier, name, parent_name, _code in rows:
        if repeats[tier, name] > 1 and parent_name:
            shown[pk] = f"{name}{SEPARATOR}{parent_short_name(parent_name)}"
        else:
            shown[pk] = name
    # Still the same text twice: the code is the only thing left that differs.
    clashes = Counter((tier, shown[pk]) for pk, tier, *_ in rows)
    for pk, tier, _name, _parent, code in rows:
        if clashes[tier, shown[pk]] > 1:
            shown[pk] = f"{shown[pk]} ({code})"
    return shown


def name_agencies(agencies: Iterable[Agency], *, province_id: int) -> list[Agency]:
    """Set ``display_name`` on each of ``agencies`` (of one province) and return them in
    Vietnamese alphabetical order of it, then by code: one query."""
    agencies = list(agencies)
    if not agencies:
        return []
    names = {agency.name for agency in agencies}
    # A few agencies (one agency's pages): only their namesakes are read. A whole list: the
    # province's agencies, rather than a long IN list.
    shown = agency_display_names(province_id, names=names if len(names) <= NARROW_UP_TO else None)
    for agency in agencies:
        agency.display_name = shown.get(agency.pk, agency.name)
    return sorted_vietnamese(
        sorted(agencies, key=lambda agency: agency.code), key=lambda agency: agency.display_name
    )
