"""Write a national dataset at the pre-2025 scale as the CSV files of docs/FORMATS.md.

63 provinces with their official statistics-office codes and names, about 205 agencies each
(the provincial committee, ~20 departments, ~11 districts, ~170 communes), Hà Nội about 900
(30 districts, 850 communes): some 13,600 agencies in all, a plan
of 10 targets per province and year, and the results of 2016–2025 for the 14 standard indicators:
1,860,016 rows, that is 14 indicators x 10 years x 13,648 agencies less the years an agency did
not exist (communes merged away after 2019 or created in 2020) and 0.5 % of cells left
unreported.

The output is deterministic: the same seed and province count give byte-identical files, and a
run for the first N provinces writes exactly the rows a national run writes for them (each
province draws from its own seeded generator), so a small development run is a prefix of the
national one.

    python bench/generate.py --provinces 63 --out bench/out/data-63

Besides ``agencies.csv``, ``targets.csv`` and ``results.csv`` it writes ``results_half.csv``,
the header and the first half of ``results.csv``'s rows, for the memory comparison.
"""

import argparse
import csv
import json
import random
from pathlib import Path

YEARS = range(2016, 2026)

# The 63 provinces before the 1 July 2025 merger: statistics-office code and name.
PROVINCES = [
    ("01", "Hà Nội"), ("02", "Hà Giang"), ("04", "Cao Bằng"), ("06", "Bắc Kạn"),
    ("08", "Tuyên Quang"), ("10", "Lào Cai"), ("11", "Điện Biên"), ("12", "Lai Châu"),
    ("14", "Sơn La"), ("15", "Yên Bái"), ("17", "Hòa Bình"), ("19", "Thái Nguyên"),
    ("20", "Lạng Sơn"), ("22", "Quảng Ninh"), ("24", "Bắc Giang"), ("25", "Phú Thọ"),
    ("26", "Vĩnh Phúc"), ("27", "Bắc Ninh"), ("30", "Hải Dương"), ("31", "Hải Phòng"),
    ("33", "Hưng Yên"), ("34", "Thái Bình"), ("35", "Hà Nam"), ("36", "Nam Định"),
    ("37", "Ninh Bình"), ("38", "Thanh Hóa"), ("40", "Nghệ An"), ("42", "Hà Tĩnh"),
    ("44", "Quảng Bình"), ("45", "Quảng Trị"), ("46", "Thừa Thiên Huế"), ("48", "Đà Nẵng"),
    ("49", "Quảng Nam"), ("51", "Quảng Ngãi"), ("52", "Bình Định"), ("54", "Phú Yên"),
    ("56", "Khánh Hòa"), ("58", "Ninh Thuận"), ("60", "Bình Thuận"), ("62", "Kon Tum"),
    ("64", "Gia Lai"), ("66", "Đắk Lắk"), ("67", "Đắk Nông"), ("68", "Lâm Đồng"),
    ("70", "Bình Phước"), ("72", "Tây Ninh"), ("74", "Bình Dương"), ("75", "Đồng Nai"),
    ("77", "Bà Rịa - Vũng Tàu"), ("79", "Thành phố Hồ Chí Minh"), ("80", "Long An"),
    ("82", "Tiền Giang"), ("83", "Bến Tre"), ("84", "Trà Vinh"), ("86", "Vĩnh Long"),
    ("87", "Đồng Tháp"), ("89", "An Giang"), ("91", "Kiên Giang"), ("92", "Cần Thơ"),
    ("93", "Hậu Giang"), ("94", "Sóc Trăng"), ("95", "Bạc Liêu"), ("96", "Cà Mau"),
]

DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh", "Ban Dân tộc", "Ban Quản lý các khu công nghiệp",
    "Sở Ngoại vụ", "Ban Quản lý dự án đầu tư xây dựng", "Đài Phát thanh và Truyền hình",
]
DISTRICT_KINDS = ["huyện", "huyện", "huyện", "thị xã", "thành phố"]
COMMUNE_KINDS = ["xã", "xã", "xã", "xã", "phường", "thị trấn"]
PLACE_NAMES = [
    "An Bình", "Tân Phú", "Hòa Thành", "Vĩnh Lợi", "Phú Mỹ", "Thạnh Hưng", "Long Điền",
    "Mỹ Lâm", "Đông Hòa", "Bình Sơn", "Tiên Lữ", "Kim Động", "Ân Thi", "Văn Giang",
    "Châu Thành", "Giồng Riềng", "Gò Quao", "Hòn Đất", "Phú Quốc", "Hà Tiên", "Rạch Giá",
    "Tân Hiệp", "Kiên Lương", "Yên Mỹ", "Khoái Châu", "Phù Cừ", "Mỹ Hào", "Nghĩa Dân",
]

INDICATORS = [
    ("LAN", "yes_no"), ("FIBRE", "yes_no"), ("SPECIALIZED_NETWORK", "yes_no"),
    ("WEB_PORTAL", "yes_no"), ("ONE_STOP_SHOP", "yes_no"), ("DOC_MANAGEMENT", "yes_no"),
    ("DIGITAL_SIGNATURE", "yes_no"), ("OFFICIAL_EMAIL", "ratio"), ("E_DOCUMENTS", "ratio"),
    ("ONLINE_MEETINGS", "ratio"), ("PUBLIC_SERVICES_L3", "ratio"),
    ("PUBLIC_SERVICES_L4", "ratio"), ("PUBLIC_SERVICES_FULL", "ratio"),
    ("PUBLIC_SERVICES_PARTIAL", "ratio"),
]

# Denominator ranges of the ratio indicators by tier: officials, documents, meetings and
# administrative procedures of one agency in one year.
DENOMINATORS = {
    "OFFICIAL_EMAIL": {"province": (60, 200), "department": (30, 300), "district": (80, 400),
                       "commune": (15, 40)},
    "E_DOCUMENTS": {"province": (5000, 30000), "department": (800, 12000),
                    "district": (2000, 15000), "commune": (200, 3000)},
    "ONLINE_MEETINGS": {"province": (40, 200), "department": (10, 120), "district": (20, 150),
                        "commune": (4, 40)},
}
PROCEDURES = {"province": (10, 40), "department": (40, 300), "district": (150, 300),
              "commune": (90, 130)}

# The menu of targets a province picks its 10 yearly targets from (docs/FORMATS.md key:
# indicator and tiers); values grow over the decade from ``start`` by ``step`` a year.
TARGET_MENU = [
    ("SPECIALIZED_NETWORK", "department+district", ">", 80, 2, "percent"),
    ("DIGITAL_SIGNATURE", "department+district", ">", 50, 5, "percent"),
    ("ONE_STOP_SHOP", "department", ">=", 50, 5, "percent"),
    ("ONE_STOP_SHOP", "district", ">=", 100, 0, "percent"),
    ("PUBLIC_SERVICES_L3", "all", ">=", 25, 5, "percent"),
    ("PUBLIC_SERVICES_L4", "all", ">=", 3, 20, "count"),
    ("OFFICIAL_EMAIL", "all", ">=", 90, 1, "percent"),
    ("ONLINE_MEETINGS", "province", ">=", 60, 4, "percent"),
    ("WEB_PORTAL", "province+department+district", ">=", 100, 0, "percent"),
    ("LAN", "department+district", ">=", 100, 0, "percent"),
    ("FIBRE", "commune", ">=", 70, 3, "percent"),
    ("E_DOCUMENTS", "department+district", ">=", 60, 4, "percent"),
    ("DOC_MANAGEMENT", "all", ">=", 70, 3, "percent"),
    ("DIGITAL_SIGNATURE", "all", ">=", 29, 15, "count"),
    ("PUBLIC_SERVICES_FULL", "all", ">=", 30, 5, "percent"),
    ("OFFICIAL_EMAIL", "commune", ">=", 75, 2, "percent"),
]
TARGETS_PER_PLAN = 10

# Share of (agency, year, indicator) cells left unreported: the dashboards then show
# provisional figures, as real ones do.
MISSING_SHARE = 0.005
# Share of communes merged away at the end of 2019, and of new communes from 2020.
MERGED_SHARE = 0.03
NEW_SHARE = 0.02

AGENCY_COLUMNS = ["province_code", "province_name", "agency_code", "agency_name", "tier",
                  "parent_code", "active_from", "active_to"]
TARGET_COLUMNS = ["province_code", "year", "indicator_code", "tiers", "comparator", "value",
                  "unit", "note"]
RESULT_COLUMNS = ["year", "agency_code", "indicator_code", "value", "numerator", "denominator",
                  "note"]


# Hà Nội, the first province, is drawn at the size of the largest real ones (about 30 districts
# and 850 communes, some 900 agencies), so that the benchmark's largest province is the size the
# budgets are set for; the others draw 8-14 districts and 120-220 communes.
LARGEST = {"01": ((30, 30), (850, 850))}
SIZES = ((8, 14), (120, 220))


def province_agencies(rng: random.Random, code: str, name: str) -> list[dict]:
    """Return the agencies of one province, its committee first."""
    district_range, commune_range = LARGEST.get(code, SIZES)
    committee = f"{code}-UBND"
    agencies = [dict(code=committee, name=f"UBND tỉnh {name}", tier="province", parent="",
                     active_from="", active_to="")]
    for number, department in enumerate(rng.sample(DEPARTMENTS, rng.randint(18, 22)), 1):
        agencies.append(dict(code=f"{code}-S{number:02d}", name=department, tier="department",
                             parent=committee, active_from="", active_to=""))
    districts = []
    for number in range(1, rng.randint(*district_range) + 1):
        kind = rng.choice(DISTRICT_KINDS)
        district = f"{code}-H{number:03d}"
        districts.append(district)
        agencies.append(dict(code=district, name=f"UBND {kind} {rng.choice(PLACE_NAMES)} {number}",
                             tier="district", parent=committee, active_from="", active_to=""))
    for number in range(1, rng.randint(*commune_range) + 1):
        kind = rng.choice(COMMUNE_KINDS)
        draw = rng.random()
        active_from, active_to = "", ""
        if draw < MERGED_SHARE:
            active_to = "2019"
        elif draw < MERGED_SHARE + NEW_SHARE:
            active_from = "2020"
        agencies.append(dict(code=f"{code}-X{number:05d}",
                             name=f"UBND {kind} {rng.choice(PLACE_NAMES)} {number}",
                             tier="commune", parent=rng.choice(districts),
                             active_from=active_from, active_to=active_to))
    return agencies


def province_targets(rng: random.Random) -> list[tuple]:
    """Return (year, indicator, tiers, comparator, value, unit, note) for one province."""
    rows = []
    for year in YEARS:
        for indicator, tiers, comparator, start, step, unit in sorted(
            rng.sample(TARGET_MENU, TARGETS_PER_PLAN)
        ):
            value = start + step * (year - YEARS.start)
            if unit == "percent":
                value = min(value, 100)
            rows.append((year, indicator, tiers, comparator, value, unit,
                         f"Chỉ tiêu kế hoạch năm {year}" if rng.random() < 0.2 else ""))
    return rows


def is_active(agency: dict, year: int) -> bool:
    return (not agency["active_from"] or int(agency["active_from"]) <= year) and (
        not agency["active_to"] or year <= int(agency["active_to"])
    )


def agency_results(rng: random.Random, agency: dict, maturity: float):
    """Yield the results rows of one agency over the decade.

    ``maturity`` is the province's head start: its yes-shares and ratios start higher.
    """
    tier = agency["tier"]
    sizes = {code: rng.randint(*DENOMINATORS[code][tier]) for code in DENOMINATORS}
    procedures = rng.randint(*PROCEDURES[tier])
    for year in YEARS:
        if not is_active(agency, year):
            continue
        progress = min(1.0, maturity + 0.06 * (year - YEARS.start))
        for code, kind in INDICATORS:
            if rng.random() < MISSING_SHARE:
                continue
            note = "Số liệu ước tính" if rng.random() < 0.002 else ""
            if kind == "yes_no":
                answer = "1" if rng.random() < progress else "0"
                yield (year, agency["code"], code, answer, "", "", note)
                continue
            if code in sizes:
                denominator = max(1, int(sizes[code] * rng.uniform(0.9, 1.1)))
            else:
                denominator = procedures
            share = min(1.0, max(0.0, rng.gauss(progress, 0.1)))
            if code == "PUBLIC_SERVICES_L4" or code == "PUBLIC_SERVICES_FULL":
                share *= 0.5
            yield (year, agency["code"], code, "", str(int(denominator * share)),
                   str(denominator), note)


def generate(*, provinces: int, seed: int, out: Path) -> dict:
    """Write the dataset for the first ``provinces`` provinces to ``out``; return its counts."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {"provinces": 0, "agencies": 0, "targets": 0, "results": 0}
    with (
        open(out / "agencies.csv", "w", newline="", encoding="utf-8") as agencies_file,
        open(out / "targets.csv", "w", newline="", encoding="utf-8") as targets_file,
        open(out / "results.csv", "w", newline="", encoding="utf-8") as results_file,
    ):
        agencies_csv = csv.writer(agencies_file, lineterminator="\n")
        targets_csv = csv.writer(targets_file, lineterminator="\n")
        results_csv = csv.writer(results_file, lineterminator="\n")
        agencies_csv.writerow(AGENCY_COLUMNS)
        targets_csv.writerow(TARGET_COLUMNS)
        results_csv.writerow(RESULT_COLUMNS)
        for code, name in PROVINCES[:provinces]:
            rng = random.Random(f"{seed}-{code}")
            counts["provinces"] += 1
            agencies = province_agencies(rng, code, name)
            for agency in agencies:
                agencies_csv.writerow([code, name, agency["code"], agency["name"], agency["tier"],
                                       agency["parent"], agency["active_from"],
                                       agency["active_to"]])
            counts["agencies"] += len(agencies)
            for year, indicator, tiers, comparator, value, unit, note in province_targets(rng):
                targets_csv.writerow([code, year, indicator, tiers, comparator, value, unit, note])
                counts["targets"] += 1
            maturity = rng.uniform(0.3, 0.6)
            for agency in agencies:
                for row in agency_results(rng, agency, maturity):
                    results_csv.writerow(row)
                    counts["results"] += 1
    write_half(out / "results.csv", out / "results_half.csv", counts["results"] // 2)
    (out / "counts.json").write_text(json.dumps(counts, indent=2) + "\n")
    return counts


def write_half(source: Path, target: Path, rows: int) -> None:
    """Copy the header and the first ``rows`` data rows of ``source`` to ``target``."""
    with open(source, encoding="utf-8") as whole, open(target, "w", encoding="utf-8") as half:
        half.write(whole.readline())
        for _, line in zip(range(rows), whole, strict=False):
            half.write(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=len(PROVINCES),
                        help="how many provinces, in code order (default: all 63)")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--out", type=Path, required=True, help="directory for the CSV files")
    args = parser.parse_args()
    if not 1 <= args.provinces <= len(PROVINCES):
        parser.error(f"--provinces must lie in 1..{len(PROVINCES)}")
    counts = generate(provinces=args.provinces, seed=args.seed, out=args.out)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
