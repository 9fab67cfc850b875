"""Build the demo: the two provinces of the source articles, their plans, targets and results.

The figures come from ``/work/shared/seeds/README.md`` (targets K1–K9 of Kiên Giang's 2017 plan,
results H1–H5 of Hưng Yên's 2017 review, task H7 of its 2018 plan). Everything not published —
every agency's own result, and Kiên Giang's 2016 plan — is sample data, marked ``is_sample``.

The demo is written as the CSV files of docs/FORMATS.md and loaded through the same imports as a
province's own files (``plans.services.imports``), so it is checked by the same rules, and
loading it twice changes nothing the second time.

Sample results follow arithmetic rules on an agency's position in its tier (agencies sorted by
code), never random numbers, so that every run gives the same figures and the statuses below
hold. Agencies active in 2016–2018 (plans/demo/agencies.csv): Kiên Giang 1 provincial committee,
20 departments, 15 districts, 143 communes; Hưng Yên 1, 18, 10, 139.

Kiên Giang 2017, as loaded:

| target | figure | status |
|---|---|---|
| K1 SPECIALIZED_NETWORK department+district > 80 % | 28 of 35 = 80.0 % | not met, exactly at ">" |
| K2 DIGITAL_SIGNATURE department+district > 50 % | 20 of 35 = 57.1 % | met |
| K3 ONE_STOP_SHOP department >= 50 % | 10 of 20 = 50.0 % | met, exactly at ">=" |
| K4 ONE_STOP_SHOP district >= 100 % | 14 of 15 = 93.3 % | not met |
| K5 PUBLIC_SERVICES_L3 all >= 25 % | 6256 of 23171 procedures = 27.0 % | met |
| K6 PUBLIC_SERVICES_L4 all >= 3 services | 4 services | met |
| K7 OFFICIAL_EMAIL all >= 100 % | 6104 of 6152 officials = 99.2 % | not met |
| K8 ONLINE_MEETINGS province >= 60 % | 14 of 24 meetings = 58.3 % | not met |
| K9 WEB_PORTAL province+department+district >= 100 % | 36 of 36 | met |
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from plans.files.columns import RESULT_COLUMNS, TARGET_COLUMNS
from plans.models import active_in_year
from plans.rules.tiers import parse_tiers

AGENCIES_CSV = Path(__file__).resolve().parent / "agencies.csv"

KIEN_GIANG = "91"
HUNG_YEN = "33"

SAMPLE_TARGET_NOTE = "Chỉ tiêu mẫu để xem xu hướng qua các năm, không phải chỉ tiêu công bố."


@dataclass(frozen=True)
class DemoAgency:
    province_code: str
    code: str
    tier: str
    active_from: int | None
    active_to: int | None

    def is_active_in(self, year: int) -> bool:
        return active_in_year(self.active_from, self.active_to, year)


@dataclass(frozen=True)
class DemoTarget:
    label: str
    indicator_code: str
    tiers: str
    comparator: str
    value: str
    unit: str
    note: str = ""


@dataclass(frozen=True)
class DemoPlan:
    """A plan of the demo; ``closed`` plans are closed once their results are loaded."""

    province_code: str
    year: int
    title: str
    tasks: str = ""
    # The day the plan was adopted, when the article gives it.
    document_date: date | None = None
    is_sample: bool = False
    closed: bool = False
    targets: tuple[DemoTarget, ...] = field(default_factory=tuple)
    # The report deadline, an example of the demo's own (no article gives one): with it
    # send_reminders has something to say on a fresh install.
    report_deadline: date | None = None


@dataclass(frozen=True)
class DemoResult:
    year: int
    agency_code: str
    indicator_code: str
    value: int | None = None
    numerator: int | None = None
    denominator: int | None = None


KIEN_GIANG_2017 = DemoPlan(
    province_code=KIEN_GIANG,
    year=2017,
    title=(
        "Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước năm 2017"
    ),
    # Approved by the steering committee on 21 December 2016 (seeds/README.md).
    document_date=date(2016, 12, 21),
    report_deadline=date(2018, 1, 15),
    tasks="\n".join([
        "Tích hợp, kết nối các hệ thống thông tin, cơ sở dữ liệu, tạo lập môi trường chia sẻ "
        "thông tin qua mạng giữa các cơ quan.",
        "Nâng cấp, phát triển hạ tầng kỹ thuật công nghệ thông tin, tạo nền tảng phát triển "
        "chính quyền điện tử.",
        "Bảo đảm an toàn, an ninh thông tin.",
        "Nâng cấp, phát triển cổng dịch vụ công tỉnh và một số trang thông tin điện tử các sở, "
        "ngành tỉnh, UBND cấp huyện theo công nghệ Portal.",
        "Triển khai khung kiến trúc chính quyền điện tử tỉnh (thông qua ngày 21/12/2016).",
    ]),
    targets=(
        DemoTarget("K1", "SPECIALIZED_NETWORK", "department+district", ">", "80", "percent",
                   "Kế hoạch ghi: trên 80% sở, ngành tỉnh và UBND cấp huyện kết nối và sử "
                   "dụng mạng truyền số liệu chuyên dùng."),
        DemoTarget("K2", "DIGITAL_SIGNATURE", "department+district", ">", "50", "percent",
                   "Kế hoạch ghi: trên 50% sở, ngành tỉnh, UBND cấp huyện triển khai sử dụng "
                   "chữ ký số."),
        DemoTarget("K3", "ONE_STOP_SHOP", "department", ">=", "50", "percent",
                   "Kế hoạch ghi: 50% sở, ngành tỉnh triển khai hệ thống một cửa điện tử."),
        DemoTarget("K4", "ONE_STOP_SHOP", "district", ">=", "100", "percent",
                   "Kế hoạch ghi: 100% UBND cấp huyện triển khai hệ thống một cửa điện tử."),
        DemoTarget("K5", "PUBLIC_SERVICES_L3", "all", ">=", "25", "percent",
                   "Kế hoạch ghi: 25% dịch vụ công trực tuyến được cung cấp ở mức độ 3."),
        DemoTarget("K6", "PUBLIC_SERVICES_L4", "all", ">=", "3", "count",
                   "Kế hoạch ghi: triển khai cung cấp 3 dịch vụ công trực tuyến mức độ 4."),
        DemoTarget("K7", "OFFICIAL_EMAIL", "all", ">=", "100", "percent",
                   "Kế hoạch ghi “Trên 100%” cán bộ, công chức sử dụng hộp thư điện tử công vụ "
                   "(@kiengiang.gov.vn); vượt 100% là không thể, lưu là từ 100% trở lên."),
        DemoTarget("K8", "ONLINE_MEETINGS", "province", ">=", "60", "percent",
                   "Kế hoạch ghi: 60% các cuộc họp của UBND tỉnh với Chính phủ, các bộ, ngành "
                   "Trung ương và UBND cấp huyện được thực hiện trực tuyến."),
        DemoTarget("K9", "WEB_PORTAL", "province+department+district", ">=", "100", "percent",
                   "Kế hoạch ghi: bảo đảm Cổng thông tin điện tử tỉnh, các cổng/trang thông tin "
                   "điện tử các sở, ngành tỉnh và UBND cấp huyện hoạt động ổn định."),
    ),
)

KIEN_GIANG_2016 = DemoPlan(
    province_code=KIEN_GIANG,
    year=2016,
    title="Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước năm 2016",
    is_sample=True,
    closed=True,
    targets=(
        DemoTarget("K1-2016", "SPECIALIZED_NETWORK", "department+district", ">", "60", "percent",
                   SAMPLE_TARGET_NOTE),
        DemoTarget("K2-2016", "DIGITAL_SIGNATURE", "department+district", ">", "30", "percent",
                   SAMPLE_TARGET_NOTE),
        DemoTarget("K5-2016", "PUBLIC_SERVICES_L3", "all", ">=", "15", "percent",
                   SAMPLE_TARGET_NOTE),
        DemoTarget("K7-2016", "OFFICIAL_EMAIL", "all", ">=", "85", "percent",
                   SAMPLE_TARGET_NOTE),
    ),
)

# The article reports 2017 results, not the targets they answered: the plan carries no target
# rather than invented ones, and the dashboard shows its indicators with results, unjudged.
HUNG_YEN_2017 = DemoPlan(
    province_code=HUNG_YEN,
    year=2017,
    title="Kế hoạch ứng dụng công nghệ thông tin năm 2017",
    tasks="\n".join([
        "Triển khai, nhân rộng hệ thống phần mềm quản lý văn bản điều hành, dịch vụ hành chính "
        "công và một cửa điện tử.",
        "Ứng dụng chữ ký số trong gửi, nhận văn bản điện tử qua môi trường mạng.",
    ]),
    closed=True,
)

HUNG_YEN_2018 = DemoPlan(
    province_code=HUNG_YEN,
    year=2018,
    title="Nhiệm vụ ứng dụng công nghệ thông tin năm 2018",
    tasks="\n".join([
        "Tăng cường công tác tuyên truyền, nâng cao nhận thức về phát triển hạ tầng ứng dụng "
        "công nghệ thông tin.",
        "Phát triển nguồn nhân lực công nghệ thông tin.",
        "Chủ động tham mưu xây dựng chính sách, quy định cụ thể về phát triển, ứng dụng công "
        "nghệ thông tin theo ngành, lĩnh vực.",
        "Tăng cường sử dụng các hệ thống thông tin dùng chung.",
        "Tăng cường cung cấp dịch vụ công trực tuyến mức độ 3, 4.",
        "Tiếp tục đầu tư hoàn thiện hạ tầng kỹ thuật, thiết bị bảo mật.",
    ]),
    targets=(
        DemoTarget("H7", "E_DOCUMENTS", "department+district", ">=", "100", "percent",
                   "Hội nghị ngày 22/12/2017 giao: bảo đảm 100% văn bản đến, văn bản đi được "
                   "cập nhật trên phần mềm mạng nội bộ."),
    ),
)

PLANS = (KIEN_GIANG_2016, KIEN_GIANG_2017, HUNG_YEN_2017, HUNG_YEN_2018)


# Agencies -------------------------------------------------------------------------------------

def agencies_source() -> bytes:
    """Return the demo's agencies.csv as stored in the project."""
    return AGENCIES_CSV.read_bytes()


def demo_agencies() -> list[DemoAgency]:
    """Return the agencies of the demo's agencies.csv."""
    text = agencies_source().decode("utf-8-sig")
    return [
        DemoAgency(
            province_code=row["province_code"].strip(),
            code=row["agency_code"].strip(),
            tier=row["tier"].strip(),
            active_from=int(row["active_from"]) if row["active_from"].strip() else None,
            active_to=int(row["active_to"]) if row["active_to"].strip() else None,
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


class Scope:
    """A province's agencies active in one year, by tier, each tier sorted by code."""

    def __init__(self, agencies, province_code: str, year: int):
        self.by_tier: dict[str, list[str]] = defaultdict(list)
        for agency in sorted(agencies, key=lambda a: a.code):
            if agency.province_code == province_code and agency.is_active_in(year):
                self.by_tier[agency.tier].append(agency.code)

    def tier(self, tier: str) -> list[str]:
        return self.by_tier.get(tier, [])

    def of(self, tiers: str) -> list[tuple[str, int, str]]:
        """Return (tier, position in its tier, agency code) for every agency of ``tiers``."""
        return [
            (tier, position, code)
            for tier in parse_tiers(tiers)
            for position, code in enumerate(self.tier(tier))
        ]


# Per-agency sample figures ------------------------------------------------------------------
#
# Plausible orders of magnitude: a department handles tens of administrative procedures and has
# tens of officials, a district a few hundred procedures and about a hundred officials, a
# commune about a hundred procedures and twenty officials.

def procedures(tier: str, position: int) -> int:
    """Return an agency's number of administrative procedures."""
    return {
        "province": 15,
        "department": 40 + (position * 17) % 80,
        "district": 280 + (position * 13) % 40,
        "commune": 110 + (position * 7) % 20,
    }[tier]


def officials(tier: str, position: int, province_code: str = KIEN_GIANG) -> int:
    """Return an agency's number of officials."""
    if province_code == HUNG_YEN:
        return {
            "province": 50,
            "department": 30 + (position * 11) % 50,
            "district": 80 + (position * 7) % 40,
            # A multiple of 4, so that three quarters of it is whole (H4).
            "commune": 20 + 4 * (position % 4),
        }[tier]
    return {
        "province": 45,
        "department": 35 + (position * 11) % 60,
        "district": 90 + (position * 7) % 50,
        "commune": 18 + position % 9,
    }[tier]


def documents(tier: str, position: int) -> int:
    """Return an agency's incoming and outgoing documents in a year."""
    if tier == "department":
        return 1200 + (position * 137) % 900
    return 2500 + (position * 173) % 1000


def _yes_no(year, scope, indicator_code, tiers, says_yes) -> Iterator[DemoResult]:
    for tier, position, code in scope.of(tiers):
        yes = says_yes(tier, position)
        yield DemoResult(year, code, indicator_code, value=1 if yes else 0)


def _ratio(year, scope, indicator_code, tiers, parts) -> Iterator[DemoResult]:
    for tier, position, code in scope.of(tiers):
        numerator, denominator = parts(tier, position)
        yield DemoResult(year, code, indicator_code, numerator=numerator, denominator=denominator)


def kien_giang_2017(agencies) -> list[DemoResult]:
    """Return Kiên Giang's 2017 sample results: every agency in scope of K1–K9 reports."""
    year, scope = 2017, Scope(agencies, KIEN_GIANG, 2017)
    results: list[DemoResult] = []
    # K1: all 20 departments and the first 8 of 15 districts, 28 of 35: exactly 80 %.
    results += _yes_no(year, scope, "SPECIALIZED_NETWORK", "department+district",
                       lambda tier, i: tier == "department" or i < 8)
    # K2: 14 departments and 6 districts, 20 of 35: 57.1 %.
    results += _yes_no(year, scope, "DIGITAL_SIGNATURE", "department+district",
                       lambda tier, i: i < (14 if tier == "department" else 6))
    # K3: every other department, 10 of 20: exactly 50 %. K4: 14 of 15 districts.
    results += _yes_no(year, scope, "ONE_STOP_SHOP", "department",
                       lambda tier, i: i % 2 == 0)
    results += _yes_no(year, scope, "ONE_STOP_SHOP", "district",
                       lambda tier, i: i < len(scope.tier("district")) - 1)
    # K5: a share of each agency's procedures at level 3, higher at the province.
    level3_share = {"province": 40, "department": 35, "district": 30, "commune": 26}
    results += _ratio(year, scope, "PUBLIC_SERVICES_L3", "all",
                      lambda tier, i: (procedures(tier, i) * level3_share[tier] // 100,
                                       procedures(tier, i)))
    # K6: the first 4 departments each offer one service at level 4.
    results += _ratio(year, scope, "PUBLIC_SERVICES_L4", "all",
                      lambda tier, i: (1 if tier == "department" and i < 4 else 0,
                                       procedures(tier, i)))
    # K7: every official has a mailbox except one in every third commune.
    results += _ratio(year, scope, "OFFICIAL_EMAIL", "all",
                      lambda tier, i: (officials(tier, i) - (tier == "commune" and i % 3 == 0),
                                       officials(tier, i)))
    # K8: 14 of the provincial committee's 24 meetings were held online.
    results += _ratio(year, scope, "ONLINE_MEETINGS", "province", lambda tier, i: (14, 24))
    # K9: every portal operates.
    results += _yes_no(year, scope, "WEB_PORTAL", "province+department+district",
                       lambda tier, i: True)
    return results


def kien_giang_2016(agencies) -> list[DemoResult]:
    """Return Kiên Giang's 2016 sample results, lower than 2017's, for the trends."""
    year, scope = 2016, Scope(agencies, KIEN_GIANG, 2016)
    results: list[DemoResult] = []
    # 16 departments and 6 districts, 22 of 35: 62.9 % (> 60: met).
    results += _yes_no(year, scope, "SPECIALIZED_NETWORK", "department+district",
                       lambda tier, i: i < (16 if tier == "department" else 6))
    # 8 departments and 2 districts, 10 of 35: 28.6 % (> 30: not met).
    results += _yes_no(year, scope, "DIGITAL_SIGNATURE", "department+district",
                       lambda tier, i: i < (8 if tier == "department" else 2))
    level3_share = {"province": 25, "department": 20, "district": 15, "commune": 12}
    results += _ratio(year, scope, "PUBLIC_SERVICES_L3", "all",
                      lambda tier, i: (procedures(tier, i) * level3_share[tier] // 100,
                                       procedures(tier, i)))
    # Communes had mailboxes for four officials in five.
    results += _ratio(year, scope, "OFFICIAL_EMAIL", "all",
                      lambda tier, i: (officials(tier, i) * 4 // 5 if tier == "commune"
                                       else officials(tier, i), officials(tier, i)))
    return results


def _commune_mailboxes(position: int, communes: int) -> tuple[int, int]:
    """Return (officials with a mailbox, officials) of a Hưng Yên commune.

    A commune has 4k officials, 3k of them with a mailbox, moved by +2 / -2 in pairs of
    neighbours so that communes differ but the sum stays exactly three quarters (H4: 75 %).
    """
    total = officials("commune", position, HUNG_YEN)
    if position % 2 == 0 and position + 1 < communes:
        shift = 2
    elif position % 2 == 1:
        shift = -2
    else:
        shift = 0
    return total * 3 // 4 + shift, total


def hung_yen_2017(agencies) -> list[DemoResult]:
    """Return Hưng Yên's 2017 sample results, reproducing the published H1–H5 exactly."""
    year, scope = 2017, Scope(agencies, HUNG_YEN, 2017)
    communes = len(scope.tier("commune"))
    results: list[DemoResult] = []
    # H1: every department and district has a LAN. H2: every commune has fibre.
    results += _yes_no(year, scope, "LAN", "department+district", lambda tier, i: True)
    results += _yes_no(year, scope, "FIBRE", "commune", lambda tier, i: True)
    # H3: every official of departments and districts has a mailbox; H4: 75 % in communes.
    results += _ratio(year, scope, "OFFICIAL_EMAIL", "department+district",
                      lambda tier, i: (officials(tier, i, HUNG_YEN),) * 2)
    results += _ratio(year, scope, "OFFICIAL_EMAIL", "commune",
                      lambda tier, i: _commune_mailboxes(i, communes))
    # H5: 29 units: the provincial committee, 18 departments and 10 districts; communes not yet.
    results += _yes_no(year, scope, "DIGITAL_SIGNATURE", "all",
                       lambda tier, i: tier != "commune")
    return results


def hung_yen_2018(agencies) -> list[DemoResult]:
    """Return Hưng Yên's 2018 results so far: every department, only 4 districts (H7)."""
    year, scope = 2018, Scope(agencies, HUNG_YEN, 2018)

    def parts(tier, i):
        total = documents(tier, i)
        return (total if i % 3 == 0 else total - 5 - (i * 7) % 30), total

    reporting = set(scope.tier("department")) | set(scope.tier("district")[:4])
    return [
        result
        for result in _ratio(year, scope, "E_DOCUMENTS", "department+district", parts)
        if result.agency_code in reporting
    ]


RESULT_BUILDERS = {
    (KIEN_GIANG, 2016): kien_giang_2016,
    (KIEN_GIANG, 2017): kien_giang_2017,
    (HUNG_YEN, 2017): hung_yen_2017,
    (HUNG_YEN, 2018): hung_yen_2018,
}


# CSV text -------------------------------------------------------------------------------------

def _csv_text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def targets_csv(plans=PLANS) -> str:
    """Return targets.csv for the demo plans that have targets."""
    return _csv_text(
        TARGET_COLUMNS,
        (
            [plan.province_code, plan.year, t.indicator_code, t.tiers, t.comparator, t.value,
             t.unit, t.note]
            for plan in plans
            for t in plan.targets
        ),
    )


def results_csv(results) -> str:
    """Return results.csv for ``results``."""

    def blank(number):
        return "" if number is None else str(number)

    return _csv_text(
        RESULT_COLUMNS,
        (
            [r.year, r.agency_code, r.indicator_code, blank(r.value), blank(r.numerator),
             blank(r.denominator), ""]
            for r in results
        ),
    )


def demo_results(agencies=None) -> dict[tuple[str, int], list[DemoResult]]:
    """Return the sample results of every demo plan, keyed by (province code, year)."""
    agencies = demo_agencies() if agencies is None else agencies
    return {key: build(agencies) for key, build in RESULT_BUILDERS.items()}

