"""Validation once (issue 18, item 2): the grid and the agency page only parse what was typed;
the results service checks it (plans.services.results.results_check) and answers per cell; the
model's constraints stay as the last guard."""

from django.http import QueryDict
from django.utils import translation

from plans.forms.grid import ResultGrid, make_token
from plans.models import Result
from plans.rules.limits import NOTE_MAX_LENGTH
from plans.services.results import ResultEntry, results_check
from plans.words.messages import note_too_long_message


def test_the_grid_parses_figures_it_does_not_judge(agencies_a, indicator):
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    grid = ResultGrid(agencies=[snv], indicators=[email], results=[])
    prefix = f"r{snv.pk}-{email.pk}"
    data = QueryDict(mutable=True)
    data.update({f"{prefix}-o": make_token(None), f"{prefix}-n": "61", f"{prefix}-d": "60",
                 f"{prefix}-note": "x" * (NOTE_MAX_LENGTH + 1)})

    assert grid.read(data)

    [entry] = grid.entries
    assert (entry.numerator, entry.denominator) == (61, 60)


def test_the_service_checks_each_entry_and_answers_per_cell(
    plan_a, agencies_a, indicator, django_assert_num_queries
):
    snv, email, lan = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL"), indicator("LAN")
    entries = [
        ResultEntry(agency=snv, indicator=email, numerator=61, denominator=60),
        ResultEntry(agency=snv, indicator=lan, value=1, note="x" * (NOTE_MAX_LENGTH + 1)),
        ResultEntry(agency=agencies_a["91-STTTT"], indicator=lan, value=1),
    ]
    with translation.override("vi"), django_assert_num_queries(0):
        problems = results_check(plan=plan_a, entries=entries)

    assert problems == {
        (snv.pk, email.pk): ["Tử số (61) không được lớn hơn mẫu số (60)."],
        (snv.pk, lan.pk): [note_too_long_message(NOTE_MAX_LENGTH + 1)],
    }


def test_the_note_length_is_said_in_one_sentence():
    with translation.override("vi"):
        assert note_too_long_message(501) == "Ghi chú dài 501 ký tự; tối đa 500."


def test_the_agency_page_shows_the_services_check_on_the_cell(client, officer_a, plan_a,
                                                             agencies_a, indicator):
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    prefix = f"r{snv.pk}-{email.pk}"
    client.force_login(officer_a)
    response = client.post(
        "/entry/91/2017/agency/91-SNV/",
        {f"{prefix}-o": make_token(None), f"{prefix}-n": "61", f"{prefix}-d": "60"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Chưa lưu gì: 1 ô có lỗi" in html
    assert "Tử số (61) không được lớn hơn mẫu số (60)." in html
    assert not Result.objects.exists()
