"""The demo of the 2025 merger and of programmes: An Giang absorbs Kiên Giang.

On 1 July 2025 Kiên Giang (``91``) became part of An Giang (``89``), which goes on under its
code, and the district tier was abolished. The demo gives the merged An Giang a 2026 plan with
commune targets only, its new communes' 2026 results, and — so that its trend reaches back to
2016 — sample results of official e-mail in the communes of both former provinces: Kiên Giang's
for 2018–2025 (2016 and 2017 come with its plans) and the former An Giang's for 2016–2025.

Online public services in those communes make the demo's comparable series: at level 4 until
2021, fully online from 2022 (Decree 42/2022), with a 2026 target on the latter.

It also gives each province a programme: Kiên Giang's 2016–2020 IT-application plan, whose
targets its 2016 and 2017 figures forecast, and the merged An Giang's 2026–2030 digital
transformation programme, whose baseline year 2025 is a territory figure.

Everything here is sample data: the agencies' names are real places, their codes, figures and
the programmes' targets are not published ones. Written as the CSV files of docs/FORMATS.md and
loaded through the imports (plans.demo.loader), so that a second run changes nothing.
"""

from plans.demo.builder import (
    KIEN_GIANG,
    SAMPLE_TARGET_NOTE,
    DemoAgency,
    DemoPlan,
    DemoResult,
    DemoTarget,
    Scope,
    _csv_text,
    officials,
    procedures,
)
from plans.files.columns import AGENCY_COLUMNS, PROGRAMME_COLUMNS, PROVINCE_COLUMNS

AN_GIANG = "89"
AN_GIANG_NAME = "An Giang"
MERGER_DAY = "2025-06-30"  # Kiên Giang's last day
EMAIL = "OFFICIAL_EMAIL"
# Online public services at level 4 until 2021, fully online ones from 2022 (Decree 42/2022):
# the demo's comparable series, split where the classification changed.
LEVEL4, FULL = "PUBLIC_SERVICES_L4", "PUBLIC_SERVICES_FULL"
DECREE_42_YEAR = 2022

PROVINCES = [
    (KIEN_GIANG, "Kiên Giang", "1976-02-20", MERGER_DAY, AN_GIANG),
    (AN_GIANG, AN_GIANG_NAME, "1976-02-20", "", ""),
]

# The former An Giang's wards and communes (until 2025), and the merged province's new ones
# (from 1 July 2025), a few of each: names of real places, sample codes.
FORMER_COMMUNES = [
    ("89-C01", "UBND phường Mỹ Bình"),
    ("89-C02", "UBND phường Mỹ Long"),
    ("89-C03", "UBND phường Mỹ Xuyên"),
    ("89-C04", "UBND phường Châu Phú A"),
    ("89-C05", "UBND phường Núi Sam"),
    ("89-C06", "UBND thị trấn Phú Mỹ"),
]
NEW_COMMUNES = [
    ("89-N01", "UBND phường Long Xuyên"),
    ("89-N02", "UBND phường Bình Đức"),
    ("89-N03", "UBND phường Mỹ Thới"),
    ("89-N04", "UBND phường Châu Đốc"),
    ("89-N05", "UBND phường Vĩnh Tế"),
    ("89-N06", "UBND phường Rạch Giá"),
    ("89-N07", "UBND phường Vĩnh Thông"),
    ("89-N08", "UBND phường Hà Tiên"),
    ("89-N09", "UBND phường Tô Châu"),
    ("89-N10", "UBND đặc khu Phú Quốc"),
    ("89-N11", "UBND đặc khu Kiên Hải"),
    ("89-N12", "UBND xã Hòn Đất"),
]
COMMITTEE = ("89-UBND", "UBND tỉnh An Giang")

AN_GIANG_2026 = DemoPlan(
    province_code=AN_GIANG,
    year=2026,
    title="Kế hoạch chuyển đổi số năm 2026 (tỉnh An Giang sau sắp xếp)",
    is_sample=True,
    tasks="Kiện toàn hệ thống thông tin của UBND cấp xã sau sắp xếp đơn vị hành chính.",
    targets=(
        DemoTarget("AG1", EMAIL, "commune", ">=", "100", "percent", SAMPLE_TARGET_NOTE),
        DemoTarget("AG2", FULL, "commune", ">=", "80", "percent", SAMPLE_TARGET_NOTE),
    ),
)

# (province, code, name, first year, last year, indicator, tiers, comparator, value, unit)
PROGRAMMES = [
    (KIEN_GIANG, "CNTT-2016-2020",
     "Kế hoạch ứng dụng CNTT giai đoạn 2016–2020 (dữ liệu mẫu)", 2016, 2020,
     "SPECIALIZED_NETWORK", "department+district", ">=", "100", "percent"),
    (KIEN_GIANG, "CNTT-2016-2020",
     "Kế hoạch ứng dụng CNTT giai đoạn 2016–2020 (dữ liệu mẫu)", 2016, 2020,
     "DIGITAL_SIGNATURE", "department+district", ">=", "100", "percent"),
    (KIEN_GIANG, "CNTT-2016-2020",
     "Kế hoạch ứng dụng CNTT giai đoạn 2016–2020 (dữ liệu mẫu)", 2016, 2020,
     "PUBLIC_SERVICES_L3", "all", ">=", "95", "percent"),
    (KIEN_GIANG, "CNTT-2016-2020",
     "Kế hoạch ứng dụng CNTT giai đoạn 2016–2020 (dữ liệu mẫu)", 2016, 2020,
     "ONLINE_MEETINGS", "province", ">=", "80", "percent"),
    (AN_GIANG, "CDS-2026-2030",
     "Chương trình chuyển đổi số tỉnh An Giang 2026–2030 (dữ liệu mẫu)", 2026, 2030,
     EMAIL, "commune", ">=", "100", "percent"),
]


def provinces_csv() -> str:
    """Return provinces.csv: Kiên Giang ends on 30 June 2025, An Giang takes it over."""
    return _csv_text(PROVINCE_COLUMNS, PROVINCES)


def agencies_csv() -> str:
    """Return agencies.csv of An Giang: its committee, former and new communes."""
    rows = [[AN_GIANG, AN_GIANG_NAME, *COMMITTEE, "province", "", "", ""]]
    rows += [[AN_GIANG, AN_GIANG_NAME, code, name, "commune", COMMITTEE[0], "", "2025"]
             for code, name in FORMER_COMMUNES]
    rows += [[AN_GIANG, AN_GIANG_NAME, code, name, "commune", COMMITTEE[0], "2025", ""]
             for code, name in NEW_COMMUNES]
    return _csv_text(AGENCY_COLUMNS, rows)


def an_giang_agencies() -> list[DemoAgency]:
    return [DemoAgency(AN_GIANG, COMMITTEE[0], "province", None, None)] + [
        DemoAgency(AN_GIANG, code, "commune", None, 2025) for code, _name in FORMER_COMMUNES
    ] + [DemoAgency(AN_GIANG, code, "commune", 2025, None) for code, _name in NEW_COMMUNES]


def programmes_csv() -> str:
    return _csv_text(PROGRAMME_COLUMNS, PROGRAMMES)


def _mailboxes(year: int, position: int, total: int, *, former_an_giang: bool) -> int:
    """Return how many of a commune's ``total`` officials have a mailbox in ``year``.

    The former An Giang starts lower (about 70 % in 2016) and catches up by three points a
    year; Kiên Giang's communes miss one official in every fourth commune, then in every sixth.
    """
    if former_an_giang:
        return total * min(97, 70 + 3 * (year - 2016)) // 100
    return total - (position % (4 if year <= 2020 else 6) == 0)


def trend_results(agencies) -> list[DemoResult]:
    """Return the communes' official e-mail results that make the merged trend."""
    results = []
    for year in range(2018, 2026):
        scope = Scope(agencies, KIEN_GIANG, year)
        for position, code in enumerate(scope.tier("commune")):
            total = officials("commune", position)
            results.append(DemoResult(year, code, EMAIL, numerator=_mailboxes(
                year, position, total, former_an_giang=False), denominator=total))
    for year in range(2016, 2026):
        for position, (code, _name) in enumerate(FORMER_COMMUNES):
            total = officials("commune", position)
            results.append(DemoResult(year, code, EMAIL, numerator=_mailboxes(
                year, position, total, former_an_giang=True), denominator=total))
    return results


def _online_share(year: int) -> int:
    """Return the percent of a commune's procedures offered online in ``year``: level 4 grows
    from 5 % in 2016; counted as fully online from 2022 it starts again lower, at 35 %."""
    if year < DECREE_42_YEAR:
        return 5 + 3 * (year - 2016)
    return 35 + 8 * (year - DECREE_42_YEAR)


def services_results(agencies) -> list[DemoResult]:
    """Return the communes' online services: level 4 to 2021, fully online from 2022."""
    results = []
    for year in range(2018, 2026):
        scope = Scope(agencies, KIEN_GIANG, year)
        for position, code in enumerate(scope.tier("commune")):
            total = procedures("commune", position)
            results.append(DemoResult(
                year, code, LEVEL4 if year < DECREE_42_YEAR else FULL,
                numerator=total * _online_share(year) // 100, denominator=total,
            ))
    for year in range(2016, 2026):
        for position, (code, _name) in enumerate(FORMER_COMMUNES):
            total = procedures("commune", position)
            results.append(DemoResult(
                year, code, LEVEL4 if year < DECREE_42_YEAR else FULL,
                numerator=total * (_online_share(year) - 2) // 100, denominator=total,
            ))
    return results


def an_giang_2026_results() -> list[DemoResult]:
    """Return the new communes' 2026 results: a mailbox short in every third one."""
    results = []
    for position, (code, _name) in enumerate(NEW_COMMUNES):
        total = 2 * officials("commune", position)  # merged communes: about twice the staff
        results.append(DemoResult(2026, code, EMAIL, numerator=total - (position % 3 == 0) * 3,
                                  denominator=total))
        handled = 2 * procedures("commune", position)
        results.append(DemoResult(2026, code, FULL, numerator=handled * 70 // 100,
                                  denominator=handled))
    return results
