"""The progress line of import_results and import_agencies: its arithmetic and words with a
clock of the test's own, and the commands showing it on stderr when asked or on a terminal only."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from plans.management import progress
from plans.management.progress import ProgressLine, data_rows_in, duration_text
from plans.models import Agency, Result
from tests.factories import csv_file

AGENCIES_HEADER = (
    "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,active_to"
)
RESULTS_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"


class Clock:
    """Seconds the test sets by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """What a command writes to a terminal: a stream that says it is one."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock():
    return Clock()


def test_the_line_tells_rows_rate_and_time_left_in_vietnamese_numbers(clock):
    written: list[str] = []
    line = ProgressLine(written.append, total=1_763_012, clock=clock)

    clock.now += 2.5
    line(120_000)

    # 120,000 rows in 2.5 s: 48,000 a second; 1,643,012 rows left at that rate: 34.2 s.
    assert written == ["\rĐã nhập 120.000/1.763.012 dòng · 48.000 dòng/giây · còn khoảng 0:34"]


def test_the_line_speaks_english_when_the_language_is_english(clock):
    written: list[str] = []
    with translation.override("en"):
        line = ProgressLine(written.append, total=1_763_012, clock=clock)
        clock.now += 2.5
        line(120_000)
        line.finish()

    assert written[0] == "\rImported 120,000/1,763,012 rows · 48,000 rows/s · about 0:34 left"
    assert written[1].startswith("\rImported 120,000/120,000 rows · 48,000 rows/s · in 0:02")


def test_the_line_is_rewritten_at_most_every_half_second(clock):
    written: list[str] = []
    line = ProgressLine(written.append, total=10_000, clock=clock)

    clock.now += 0.4
    line(1_000)  # too soon after the start
    clock.now += 0.2
    line(2_000)  # 0.6 s: shown
    clock.now += 0.3
    line(3_000)  # 0.3 s after the last: not shown
    clock.now += 0.3
    line(4_000)  # 0.6 s after the last: shown

    # 2,000 rows in 0.6 s: 3,333 a second, 8,000 left: 2.4 s. 4,000 in 1.2 s: the same rate.
    assert written == [
        "\rĐã nhập 2.000/10.000 dòng · 3.333 dòng/giây · còn khoảng 0:02",
        "\rĐã nhập 4.000/10.000 dòng · 3.333 dòng/giây · còn khoảng 0:02",
    ]


def test_a_shorter_line_blanks_what_the_longer_one_left(clock):
    written: list[str] = []
    line = ProgressLine(written.append, total=None, clock=clock)

    clock.now += 1
    line(1_000_000)
    clock.now += 1
    line(1_000_001)  # rate 500.000 instead of 1.000.000: two letters shorter
    first, second = written

    assert first == "\rĐã nhập 1.000.000 dòng · 1.000.000 dòng/giây"
    assert second == "\rĐã nhập 1.000.001 dòng · 500.000 dòng/giây  "
    assert len(first) == len(second)


def test_finish_tells_the_rows_read_as_the_total_and_the_whole_duration(clock):
    written: list[str] = []
    # Counted from line breaks, a file with a note of two lines promises a row too many.
    line = ProgressLine(written.append, total=5_001, clock=clock)
    line(5_000)
    clock.now += 75.4

    line.finish()

    assert written[-2:] == ["\rĐã nhập 5.000/5.000 dòng · 66 dòng/giây · trong 1:15", "\n"]


def test_a_dry_run_checks_and_an_unknown_total_tells_no_time_left(clock):
    written: list[str] = []
    line = ProgressLine(written.append, total=None, dry_run=True, clock=clock)

    clock.now += 4
    line(10_000)

    assert written == ["\rĐã kiểm tra 10.000 dòng · 2.500 dòng/giây"]


def test_no_rate_before_any_time_has_passed(clock):
    written: list[str] = []
    line = ProgressLine(written.append, total=3, clock=clock)
    line(3)

    line.finish()

    assert written == ["\rĐã nhập 3/3 dòng · trong 0:00", "\n"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (34.2, "0:34"), (59.6, "1:00"), (754, "12:34"), (3727, "1:02:07"),
     (-3, "0:00")],
)
def test_durations_read_as_a_clock(seconds, text):
    assert duration_text(seconds) == text


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        (b"a,b\n1,2\n3,4\n", 2),
        (b"a,b\n1,2\n3,4", 2),  # no line break after the last row
        (b"a,b\r\n1,2\r\n", 1),
        (b"a,b\n", 0),
        (b"", 0),
    ],
)
def test_the_rows_of_a_csv_are_counted_by_its_line_breaks(content, rows):
    source = io.BytesIO(b"xx" + content)
    source.read(2)

    assert data_rows_in(source) == rows
    assert source.tell() == 2  # where the import starts reading


def test_the_rows_of_a_workbook_are_not_counted():
    source = io.BytesIO(b"PK\x03\x04" + b"\n" * 10)

    assert data_rows_in(source) is None
    assert source.tell() == 0


def many_agencies(count: int) -> bytes:
    return csv_file(
        AGENCIES_HEADER,
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
        *(f"96,Cà Mau,96-X{number},UBND xã số {number},commune,96-UBND,,"
          for number in range(1, count)),
    )


def test_import_agencies_with_progress_writes_the_lines_to_stderr(db, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "EVERY_SECONDS", 0)
    path = tmp_path / "agencies.csv"
    path.write_bytes(many_agencies(2_500))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_agencies", str(path), "--progress", stdout=out, stderr=err)

    lines = err.getvalue().split("\r")
    assert lines[0] == ""
    assert [line.split(" · ")[0] for line in lines[1:]] == [
        "Đã nhập 1.000/2.500 dòng", "Đã nhập 2.000/2.500 dòng", "Đã nhập 2.500/2.500 dòng",
        "Đã nhập 2.500/2.500 dòng",  # the end of the file, then the end of the import
    ]
    assert " · còn khoảng " in lines[1]
    assert " · trong " in lines[-1]
    assert err.getvalue().endswith("\n")
    assert out.getvalue() == "Đã nhập 2500 dòng: tạo 2500, sửa 0, giữ nguyên 0.\n"
    assert Agency.objects.filter(province__code="96").count() == 2_500


def test_import_results_with_progress_still_imports_everything(agencies_a, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(
        RESULTS_HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-STTTT,LAN,không,,,",
        "2017,91-SNV,OFFICIAL_EMAIL,,412,430,Theo báo cáo quý IV",
    ))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_results", str(path), progress=True, stdout=out, stderr=err)

    assert err.getvalue().startswith("\rĐã nhập 3/3 dòng · ")
    assert err.getvalue().endswith("\n")
    assert err.getvalue().count("\n") == 1
    assert out.getvalue() == "Đã nhập 3 dòng: tạo 3, sửa 0, giữ nguyên 0.\n"
    assert Result.objects.filter(agency__province__code="91", year=2017).count() == 3


def test_a_refused_file_ends_the_line_before_its_errors(agencies_a, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(RESULTS_HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-NONE,LAN,1,,,"))
    err = io.StringIO()

    with pytest.raises(Exception, match="bị từ chối"):
        call_command("import_results", str(path), "--progress", stderr=err)

    progress_line, error_line, *_rest = err.getvalue().split("\n")
    assert progress_line.startswith("\rĐã nhập 2/2 dòng")
    assert error_line.startswith("dòng 3: ")
    assert not Result.objects.exists()


def test_without_a_terminal_nothing_more_is_written(agencies_a, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(csv_file(RESULTS_HEADER, "2017,91-SNV,LAN,1,,,"))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_results", str(path), stdout=out, stderr=err)

    assert err.getvalue() == ""
    assert out.getvalue() == "Đã nhập 1 dòng: tạo 1, sửa 0, giữ nguyên 0.\n"


def test_on_a_terminal_the_line_is_shown_unless_refused(db, tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_bytes(many_agencies(3))
    shown, hidden = Terminal(), Terminal()

    call_command("import_agencies", str(path), stdout=io.StringIO(), stderr=shown)
    call_command("import_agencies", str(path), "--no-progress", stdout=io.StringIO(),
                 stderr=hidden)

    assert shown.getvalue().startswith("\rĐã nhập 3/3 dòng · ")
    assert hidden.getvalue() == ""


def test_the_other_imports_take_no_progress_option(db, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_bytes(b"")

    with pytest.raises(TypeError, match="progress"):
        call_command("import_targets", str(path), progress=True)
