"""The admin's history (the Change change list) reads as fast with millions of entries as with a
few: a constant number of queries, none of them a count of the whole table, and the filters,
the date hierarchy, the search and the pagination still work."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.admin import ChangeAdmin, HistoryPaginator
from plans.models import Change, Result
from tests.conftest import make_user

URL = reverse("admin:plans_change_changelist")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def subjects(agencies_a, plan_a, plan_b, indicator, officer_a, officer_b):
    """A result of agency 91-SNV entered by officer_a, and the plans of Kiên Giang and Hưng Yên."""
    result = Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"), value=1,
        updated_by=officer_a,
    )
    return {"result": result, "plan_a": plan_a, "plan_b": plan_b,
            "officer_a": officer_a, "officer_b": officer_b}


def add_entries(subjects, count, *, channel="grid", at=None, by="officer_a", subject="result"):
    """Add ``count`` entries at ``at`` (default: now), a second apart, newest last."""
    subject_field = "result" if subject == "result" else "plan"
    entries = Change.objects.bulk_create(
        Change(**{subject_field: subjects[subject]}, channel=channel, changed_by=subjects[by],
               old={"value": 0}, new={"value": 1})
        for _ in range(count)
    )
    if at is not None:
        for n, entry in enumerate(entries):
            Change.objects.filter(pk=entry.pk).update(changed_at=at + datetime.timedelta(seconds=n))
    return entries


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def listed(response):
    return [entry.pk for entry in response.context["cl"].result_list]


# Queries -------------------------------------------------------------------------------------

# Every page: the session, the user, the count (bounded), the first and the last entry of the
# list (the date hierarchy's years, months or days: HistoryQuerySet.span), and the page of
# entries with their subjects and users (list_select_related).
PAGES = [
    ({}, 6),
    ({"channel__exact": "grid"}, 6),
    # A search first reads the ids of the matching entries.
    ({"q": "officer_a"}, 7),
    ({"p": "2"}, 6),
    ({"changed_at__year": "2024"}, 6),
    ({"changed_at__year": "2024", "changed_at__month": "3"}, 6),
]


@pytest.mark.parametrize(("params", "queries"), PAGES)
def test_it_runs_the_same_queries_whatever_the_number_of_entries(
    admin_client_, subjects, django_assert_num_queries, params, queries
):
    add_entries(subjects, 3, at=local(2024, 3, 5, 10))
    admin_client_.get(URL, params)  # warms the content-type cache
    with django_assert_num_queries(queries):
        assert admin_client_.get(URL, params).status_code == 200

    add_entries(subjects, 150, at=local(2024, 3, 6, 10))
    add_entries(subjects, 100, at=local(2024, 3, 7, 10), subject="plan_a", channel="admin")
    add_entries(subjects, 50, at=local(2023, 1, 1, 10), by="officer_b")
    with django_assert_num_queries(queries):
        assert admin_client_.get(URL, params).status_code == 200


@pytest.mark.parametrize("params", [params for params, _ in PAGES])
def test_it_never_counts_the_whole_history(admin_client_, subjects, params):
    add_entries(subjects, 120, at=local(2024, 3, 5, 10))

    with CaptureQueriesContext(connection) as captured:
        assert admin_client_.get(URL, params).status_code == 200

    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert counts, "the paginator counts the page's entries"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
    # Nor a SELECT DISTINCT over every entry for the date hierarchy.
    assert not [q["sql"] for q in captured if "DISTINCT" in q["sql"].upper()]


# Pagination ----------------------------------------------------------------------------------

def test_it_counts_up_to_its_bound_and_says_there_are_more(
    admin_client_, subjects, monkeypatch
):
    monkeypatch.setattr(HistoryPaginator, "bound", 6)
    monkeypatch.setattr(ChangeAdmin, "list_per_page", 2)
    entries = add_entries(subjects, 10, at=local(2024, 3, 5, 10))

    response = admin_client_.get(URL)

    changelist = response.context["cl"]
    assert changelist.result_count == 6
    assert changelist.paginator.more
    assert changelist.paginator.num_pages == 3
    assert listed(response) == [entries[9].pk, entries[8].pk]
    page = response.content.decode()
    assert "6+ " in page
    assert '?p=3"' in page
    assert '?p=4"' not in page
    # The last page the bound reaches still answers.
    assert listed(admin_client_.get(URL, {"p": "3"})) == [entries[5].pk, entries[4].pk]


def test_it_counts_exactly_below_its_bound(admin_client_, subjects, monkeypatch):
    monkeypatch.setattr(HistoryPaginator, "bound", 6)
    monkeypatch.setattr(ChangeAdmin, "list_per_page", 2)
    add_entries(subjects, 5, at=local(2024, 3, 5, 10))

    response = admin_client_.get(URL)

    assert response.context["cl"].result_count == 5
    assert not response.context["cl"].paginator.more
    assert "5+" not in response.content.decode()


def test_it_pages_the_history_newest_first(admin_client_, subjects):
    entries = add_entries(subjects, 130, at=local(2024, 3, 5, 10))

    first = admin_client_.get(URL)
    second = admin_client_.get(URL, {"p": "2"})

    assert listed(first) == [entry.pk for entry in entries[::-1][:100]]
    assert listed(second) == [entry.pk for entry in entries[::-1][100:]]
    assert '?p=2"' in first.content.decode()


# Filters and search --------------------------------------------------------------------------

def test_it_filters_by_channel(admin_client_, subjects):
    add_entries(subjects, 2, channel="grid")
    upload = add_entries(subjects, 1, channel="upload")

    response = admin_client_.get(URL, {"channel__exact": "upload"})

    assert listed(response) == [upload[0].pk]


def test_it_filters_the_past_seven_days(admin_client_, subjects):
    recent = add_entries(subjects, 1)
    add_entries(subjects, 1, at=timezone.now() - datetime.timedelta(days=30))
    changelist = admin_client_.get(URL).context["cl"]
    date_filter = next(spec for spec in changelist.filter_specs
                       if getattr(spec, "field_path", "") == "changed_at")
    past_week = [choice["query_string"] for choice in date_filter.choices(changelist)][2]

    response = admin_client_.get(URL + past_week)

    assert listed(response) == [recent[0].pk]


def test_the_date_hierarchy_offers_each_year_from_the_first_entry_to_the_last(
    admin_client_, subjects
):
    add_entries(subjects, 1, at=local(2022, 12, 31, 23, 30))  # 2022 in Hà Nội time
    add_entries(subjects, 1, at=local(2024, 1, 1, 0, 30))

    response = admin_client_.get(URL)

    years = [choice["title"] for choice in response.context["choices"]]
    assert years == ["2022", "2023", "2024"]


def test_the_date_hierarchy_narrows_to_a_year_then_a_month(admin_client_, subjects):
    add_entries(subjects, 1, at=local(2023, 12, 31, 10))
    march = add_entries(subjects, 1, at=local(2024, 3, 5, 10))
    may = add_entries(subjects, 1, at=local(2024, 5, 20, 10))

    year = admin_client_.get(URL, {"changed_at__year": "2024"})
    month = admin_client_.get(URL, {"changed_at__year": "2024", "changed_at__month": "3"})

    assert listed(year) == [may[0].pk, march[0].pk]
    months = [choice["link"] for choice in year.context["choices"]]
    assert [parse_qs(link[1:])["changed_at__month"] for link in months] == [["3"], ["4"], ["5"]]
    assert listed(month) == [march[0].pk]
    days = [choice["title"] for choice in month.context["choices"]]
    assert len(days) == 1


def test_it_finds_entries_by_user_name(admin_client_, subjects):
    by_a = add_entries(subjects, 1, by="officer_a")
    add_entries(subjects, 1, by="officer_b")

    assert listed(admin_client_.get(URL, {"q": "OFFICER_A"})) == [by_a[0].pk]


def test_it_finds_entries_by_agency_code(admin_client_, subjects):
    of_result = add_entries(subjects, 1)
    add_entries(subjects, 1, subject="plan_a")

    assert listed(admin_client_.get(URL, {"q": "91-snv"})) == [of_result[0].pk]


def test_it_finds_entries_by_province_name(admin_client_, subjects):
    add_entries(subjects, 1, subject="plan_a")
    of_b = add_entries(subjects, 1, subject="plan_b")

    assert listed(admin_client_.get(URL, {"q": "Hưng"})) == [of_b[0].pk]


def test_every_term_of_a_search_must_match(admin_client_, subjects):
    both = add_entries(subjects, 1, subject="plan_b", by="officer_a")
    add_entries(subjects, 1, subject="plan_b", by="officer_b")
    add_entries(subjects, 1, subject="plan_a", by="officer_a")

    assert listed(admin_client_.get(URL, {"q": "officer_a Hưng"})) == [both[0].pk]
    assert listed(admin_client_.get(URL, {"q": '"Hưng Yên" officer_a'})) == [both[0].pk]


def test_a_search_broader_than_its_bound_finds_the_same_entries(
    admin_client_, subjects, monkeypatch
):
    monkeypatch.setattr(ChangeAdmin, "search_ids_bound", 1)
    by_b = add_entries(subjects, 3, by="officer_b", at=local(2024, 3, 5, 10))
    add_entries(subjects, 2, by="officer_a")

    assert listed(admin_client_.get(URL, {"q": "officer_b"})) == [e.pk for e in by_b[::-1]]


def test_a_search_that_matches_nothing_lists_nothing(admin_client_, subjects):
    add_entries(subjects, 2)

    response = admin_client_.get(URL, {"q": "không-có"})

    assert response.status_code == 200
    assert listed(response) == []


def test_a_search_combines_with_a_filter(admin_client_, subjects):
    add_entries(subjects, 1, channel="grid", by="officer_b")
    upload = add_entries(subjects, 1, channel="upload", by="officer_b")
    add_entries(subjects, 1, channel="upload", by="officer_a")

    response = admin_client_.get(URL, {"q": "officer_b", "channel__exact": "upload"})

    assert listed(response) == [upload[0].pk]


def test_the_history_is_for_superusers_only(client, subjects):
    add_entries(subjects, 1)
    client.force_login(make_user("staff_only", "officer", is_staff=True))

    assert client.get(URL).status_code == 403
