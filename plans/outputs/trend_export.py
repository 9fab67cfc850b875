"""The trend export of docs/FORMATS.md: one row per year with a figure in scope, oldest first.

Figures are the province's territory figures (:mod:`plans.selectors.territory`): before a
merger they count the predecessors' agencies, and ``source`` says so.
"""

import io

from plans.files.csv_writing import CsvWriter
from plans.models import Province
from plans.selectors.territory import territory_series

TREND_COLUMNS = ("year", "achieved", "numerator", "denominator", "agencies_reporting",
                 "agencies_in_scope", "source")


def trend_csv(*, province: Province, indicator, tiers) -> str:
    """Return the trend of ``indicator`` over ``tiers`` in ``province``'s territory as CSV."""
    output = io.StringIO()
    writer = CsvWriter(output)
    writer.writerow(TREND_COLUMNS)
    for point in territory_series(province=province, indicator=indicator, tiers=tiers):
        figure = point.progress
        writer.writerow([
            point.year,
            figure.achieved_rounded,
            figure.numerator,
            "" if figure.denominator is None else figure.denominator,
            figure.agencies_reporting,
            figure.agencies_in_scope,
            point.source,
        ])
    return output.getvalue()
