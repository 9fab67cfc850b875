"""The programme export of docs/FORMATS.md: one row per programme target with its forecast.

Figures come from :func:`plans.selectors.programmes.forecasts`, so the file says exactly what
the programme page says. Written as ``progress.csv`` is: UTF-8 without a byte-order mark,
``\\n`` line ends, empty cells for values that do not exist.
"""

import io

from plans.files.csv_writing import CsvWriter, csv_safe
from plans.models import Programme
from plans.outputs.exports import plain_number
from plans.rules.progress import PERCENT, round_half_away
from plans.selectors import programmes as selectors

PROGRAMME_COLUMNS = (
    "province_code", "programme_code", "indicator_code", "tiers", "comparator", "target",
    "unit", "first_year", "last_year", "base_year", "base_value", "latest_year",
    "latest_value", "projected", "needed_per_year", "status",
)
# Text columns of the export; the others hold numbers and are never prefixed.
TEXT_COLUMNS = ("province_code", "programme_code", "indicator_code", "tiers", "comparator",
                "unit", "status")


def _as_achieved(value, unit: str):
    """Return a series value as progress.csv writes ``achieved``: one decimal or whole."""
    if value is None:
        return None
    return round_half_away(value, 1 if unit == PERCENT else 0)


def _one_decimal(value):
    return None if value is None else round_half_away(value, 1)


def programme_rows(programme: Programme) -> list[dict]:
    """Return one dict per target of ``programme``, keyed by the export's columns, ordered by
    indicator code and tiers: four queries (targets, agency counts, result sums)."""
    rows = []
    for item in selectors.forecasts(selectors.programme_targets(programme)):
        target, result = item.target, item.forecast
        rows.append(
            {
                "province_code": programme.province.code,
                "programme_code": programme.code,
                "indicator_code": target.indicator.code,
                "tiers": target.tiers,
                "comparator": target.comparator,
                "target": plain_number(target.value),
                "unit": target.unit,
                "first_year": programme.first_year,
                "last_year": programme.last_year,
                "base_year": result.base_year,
                "base_value": _as_achieved(result.base_value, target.unit),
                "latest_year": result.latest_year,
                "latest_value": _as_achieved(result.latest_value, target.unit),
                "projected": _one_decimal(result.projected),
                "needed_per_year": _one_decimal(result.needed_per_year),
                "status": str(result.status),
            }
        )
    rows.sort(key=lambda row: (row["indicator_code"], row["tiers"]))
    return rows


def programme_csv(programme: Programme) -> str:
    """Return the programme export of ``programme``: the header, then a row per target."""
    output = io.StringIO()
    writer = CsvWriter(output)
    writer.writerow(PROGRAMME_COLUMNS)
    for row in programme_rows(programme):
        writer.writerow(
            "" if row[column] is None
            else csv_safe(str(row[column])) if column in TEXT_COLUMNS
            else str(row[column])
            for column in PROGRAMME_COLUMNS
        )
    return output.getvalue()
