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
# provinces.csv and programmes.csv (the 2025 merger and multi-year programmes).
PROVINCE_COLUMNS = (
    "province_code", "province_name", "active_from", "active_to", "successor_code",
)
PROGRAMME_COLUMNS = (
    "province_code", "programme_code", "programme_name", "first_year", "last_year",
    "indicator_code", "tiers", "comparator", "value", "unit",
)
TARGET_COLUMNS = (
    "province_code", "year", "indicator_code", "tiers", "comparator", "value", "unit", "note",
)
# targets.csv's optional last column: a checklist target's items, separated by "|".
TARGET_ITEMS_COLUMN = "items"
# targets.csv's ``items`` column: the items' names separated by this.
ITEMS_SEPARATOR = "|"
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
# Columns a results file may hold or not: the downloaded template writes them, a file made by
# hand need not. ``version`` is the version of the stored result the row was made from (0: there
# was none), so that an upload can tell a figure someone changed since from one it may write.
RESULT_OPTIONAL_COLUMNS = ("version",)
# The sheet of a workbook that a results import reads when there are several (compared without
# case or diacritics); a workbook without one is read from its first sheet.
RESULT_SHEET_NAMES = ("results", "kết quả")
