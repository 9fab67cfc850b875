"""Tiers of government and the text form of a set of tiers (``department+district``)."""

from django.utils.translation import gettext_lazy as _

from egov_targets.vocabulary import Tier

# The canonical order: how a set of tiers is stored, exported and shown (the order Tier lists
# them in).
TIER_ORDER = Tier.values
ALL = "all"


class TiersError(ValueError):
    pass


def parse_tiers(text: str) -> tuple[str, ...]:
    """Return the tiers named by ``text`` in canonical order, or raise TiersError.

    ``department+district``, ``district+department`` and ``all`` are all accepted.
    """
    text = (text or "").strip().lower()
    if not text:
        raise TiersError(_("Chưa ghi cấp (tiers)."))
    if text == ALL:
        return tuple(TIER_ORDER)
    parts = [part.strip() for part in text.split("+")]
    unknown = [part for part in parts if part not in TIER_ORDER]
    if unknown:
        raise TiersError(
            _("Cấp không hợp lệ: %(tiers)s. Dùng province, department, district, commune, "
              "nối bằng dấu + hoặc all.") % {"tiers": ", ".join(repr(p) for p in unknown)}
        )
    if len(set(parts)) != len(parts):
        raise TiersError(_("Một cấp được ghi hai lần: %(text)s.") % {"text": text})
    return tuple(tier for tier in TIER_ORDER if tier in parts)


def format_tiers(tiers) -> str:
    """Return the canonical text of a set of tiers: ``province+department+district+commune``."""
    return "+".join(tier for tier in TIER_ORDER if tier in set(tiers))


def tiers_in_words(tiers) -> str:
    """Return the tiers in words, e.g. "sở, ban, ngành tỉnh và UBND cấp huyện"."""
    labels = [str(Tier(tier).label) for tier in TIER_ORDER if tier in set(tiers)]
    if len(labels) == len(TIER_ORDER):
        return str(_("tất cả các cấp"))
    if len(labels) <= 1:
        return "".join(labels)
    return str(_("%(first)s và %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]})
