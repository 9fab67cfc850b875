"""The columns of each file of docs/FORMATS.md, in the order they are written.

The imports check a file's header against these, and everything that writes such a file (the
backups of ``export_data``, the results template of the entry pages, the demo) writes them.
"""

INDICATOR_COLUMNS = (
    "code", "name_vi", "name_en", "group", "kind", "numerator_label", "denominator_label",
    "position", "predecessor_code", "from_year",
)
AGENCY_COLUMNS = (
    "province_code", "province_name", "agency_code", "agency_name", "tier", "parent_code",
    "active_from", "active_to",
)
TARGET_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "comparator", "value", "unit", "note",
)
# targets.csv's optional last column: a checklist target's items, separated by "|".
TARGET_ITEMS_COLUMN = "items"
ITEM_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "item", "done", "done_on", "note",
)
RESULT_COLUMNS = (
    "year", "agency_code", "indicator_code", "value", "numerator", "denominator", "note",
)
# Columns the results template adds after RESULT_COLUMNS for the person filling it in; a
# results import accepts these and reads nothing from them (any other extra column is refused).
RESULT_IGNORED_COLUMNS = (
    "agency_name", "parent_name", "indicator_name", "what_to_count", "definition",
)
# The sheet of a workbook that a results import reads when there are several (compared without
# case or diacritics); a workbook without one is read from its first sheet.
RESULT_SHEET_NAMES = ("results", "kết quả")
