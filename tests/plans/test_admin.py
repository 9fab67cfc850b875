import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, strip_tags

from indicators.models import Indicator
from plans.models import Agency, Change, Plan, Profile, Province, Result, Target
from plans.services.plans import plan_close
from tests.conftest import make_user

User = get_user_model()


class _FormFields(HTMLParser):
    """Collect what a browser would submit from the page's main form."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.data[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.lstrip("\n") if not self.data[
                self._textarea][0] else data


def form_data(response, form_id):
    """Return the POST data a browser would send for the form ``form_id`` as rendered."""
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    return {name: values if len(values) != 1 else values[0]
            for name, values in parser.data.items() if values}


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def count_indicator(db):
    """An indicator of kind count (the standard catalogue has none)."""
    return Indicator.objects.create(
        code="SERVICES_L4_COUNT", name_vi="Số dịch vụ công mức độ 4", name_en="Level-4 services",
        group="services", kind="count",
    )


def plan_post_data(province, year, targets, **extra):
    """Return the add-plan POST data with the given inline target rows."""
    data = {
        "province": province.pk,
        "year": year,
        "title": "",
        "document_number": "",
        "document_date": "",
        "status": "draft",
        "tasks": "",
        "targets-TOTAL_FORMS": len(targets),
        "targets-INITIAL_FORMS": 0,
        "targets-MIN_NUM_FORMS": 0,
        "targets-MAX_NUM_FORMS": 1000,
        **extra,
    }
    for index, row in enumerate(targets):
        for field, value in row.items():
            data[f"targets-{index}-{field}"] = value
    return data


def target_row(indicator, **fields):
    return {
        "indicator": indicator.pk,
        "tiers": ["department", "district"],
        "comparator": ">=",
        "value": "80",
        "unit": "percent",
        "note": "",
        "position": "0",
        **fields,
    }


# Changelists ------------------------------------------------------------------------------

def populate(size, province_a, province_b, indicator):
    """Add ``size`` rows of every kind: agencies, plans, targets, results, changes, users."""
    admin = User.objects.filter(is_superuser=True).first()
    for n in range(size):
        agency = Agency.objects.create(
            province=province_a, code=f"91-T{size}-{n}", name=f"Đơn vị thử {n}",
            tier="commune", parent=Agency.objects.filter(province=province_a).first(),
        )
        plan = Plan.objects.create(province=province_b, year=2000 + 10 * size + n)
        target = Target.objects.create(
            plan=plan, indicator=indicator("LAN"), tiers="commune", value=Decimal(100)
        )
        Plan.objects.create(province=province_a, year=2000 + 10 * size + n)
        result = Result.objects.create(
            year=plan.year, agency=agency, indicator=indicator("OFFICIAL_EMAIL"),
            numerator=n, denominator=n + 1, updated_by=admin,
        )
        Change.objects.create(result=result, channel="grid", changed_by=admin, new={"v": n})
        Change.objects.create(target=target, plan=plan, channel="admin", changed_by=admin)
        Change.objects.create(plan=plan, channel="admin", changed_by=admin)
        make_user(f"user{size}-{n}", Profile.Role.OFFICER, [province_a])


CHANGELISTS = [
    "admin:indicators_indicator_changelist",
    "admin:plans_province_changelist",
    "admin:plans_agency_changelist",
    "admin:plans_plan_changelist",
    "admin:plans_result_changelist",
    "admin:plans_change_changelist",
    "admin:auth_user_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_every_changelist_answers_in_the_same_queries_whatever_the_rows(
    admin_client_, url_name, province_a, province_b, agencies_a, indicator
):
    url = reverse(url_name)
    populate(1, province_a, province_b, indicator)
    admin_client_.get(url)  # warms the content-type cache
    with CaptureQueriesContext(connection) as few:
        response = admin_client_.get(url)
    assert response.status_code == 200

    populate(6, province_a, province_b, indicator)
    with CaptureQueriesContext(connection) as many:
        response = admin_client_.get(url)

    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_plan_changelist_counts_targets_without_a_query_per_row(
    admin_client_, plan_a, plan_b, indicator, django_assert_num_queries
):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune", value=100)
    Target.objects.create(plan=plan_a, indicator=indicator("FIBRE"), tiers="commune", value=100)

    # session, user, filtered count, plans with province and target count, the province
    # filter's provinces, the year filter's years
    with django_assert_num_queries(6):
        response = admin_client_.get(reverse("admin:plans_plan_changelist"))

    rows = {plan.province.code: plan.target_count for plan in response.context["cl"].result_list}
    assert rows == {"91": 2, "33": 0}
    assert "Sao chép sang năm sau" in response.content.decode()


def test_the_agency_changelist_filters_by_years_of_activity(
    admin_client_, agencies_a, plan_a
):
    Plan.objects.create(province=plan_a.province, year=2022)

    response = admin_client_.get(reverse("admin:plans_agency_changelist"), {"active_in": "2022"})

    codes = {agency.code for agency in response.context["cl"].result_list}
    assert "91-H899" in codes
    assert "91-H900" not in codes


def test_the_indicator_changelist_filters_and_searches(admin_client_, db):
    url = reverse("admin:indicators_indicator_changelist")

    by_kind = admin_client_.get(url, {"kind__exact": "ratio"}).context["cl"].result_list
    by_name = admin_client_.get(url, {"q": "cáp quang"}).context["cl"].result_list

    assert {i.code for i in by_kind} == {
        "OFFICIAL_EMAIL", "E_DOCUMENTS", "ONLINE_MEETINGS", "PUBLIC_SERVICES_L3",
        "PUBLIC_SERVICES_L4", "PUBLIC_SERVICES_FULL", "PUBLIC_SERVICES_PARTIAL",
    }
    assert [i.code for i in by_name] == ["FIBRE"]


def test_the_plan_change_page_reads_the_indicators_once(
    admin_client_, plan_a, indicator
):
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune", value=100)
    admin_client_.get(url)  # warms the content-type cache
    with CaptureQueriesContext(connection) as one:
        admin_client_.get(url)
    for code in ("FIBRE", "WEB_PORTAL", "ONE_STOP_SHOP", "DOC_MANAGEMENT"):
        Target.objects.create(plan=plan_a, indicator=indicator(code), tiers="commune", value=100)

    with CaptureQueriesContext(connection) as five:
        response = admin_client_.get(url)

    assert response.status_code == 200
    assert len(five) == len(one), "\n".join(q["sql"] for q in five.captured_queries)


# Plans and their targets ------------------------------------------------------------------

def test_it_adds_a_plan_with_inline_targets(admin_client_, province_a, indicator):
    data = plan_post_data(
        province_a, 2017,
        [
            target_row(indicator("SPECIALIZED_NETWORK"), comparator=">", value="80",
                       tiers=["district", "department"], note="K1"),
            target_row(indicator("PUBLIC_SERVICES_L4"), value="3", unit="count",
                       tiers=["province", "department", "district", "commune"]),
        ],
        title="Kế hoạch ứng dụng CNTT năm 2017",
    )

    response = admin_client_.post(reverse("admin:plans_plan_add"), data)

    assert response.status_code == 302, response.context["errors"]
    plan = Plan.objects.get(province=province_a, year=2017)
    assert list(plan.targets.order_by("indicator__code").values_list(
        "indicator__code", "tiers", "comparator", "value", "unit"
    )) == [
        ("PUBLIC_SERVICES_L4", "province+department+district+commune", ">=", Decimal("3"),
         "count"),
        ("SPECIALIZED_NETWORK", "department+district", ">", Decimal("80"), "percent"),
    ]
    changes = Change.objects.filter(plan=plan, channel="admin")
    assert changes.filter(target__isnull=False, old__isnull=True).count() == 2
    assert changes.get(target__isnull=True).new["status"] == "draft"


@pytest.mark.parametrize(
    "row, field, message",
    [
        (dict(code="OFFICIAL_EMAIL", value="101", tiers=["province", "department",
                                                       "district", "commune"]),
         "value", "“Trên 100%” không thể đạt được: hãy ghi 100."),
        (dict(code="PUBLIC_SERVICES_L4", value="2.5", unit="count"),
         "value", "Chỉ tiêu số lượng phải là số nguyên không âm (nhận được 2.5)."),
        (dict(code="SERVICES_L4_COUNT", value="3", unit="percent"),
         "unit", "Chỉ tiêu SERVICES_L4_COUNT là loại số lượng nên chỉ nhận đơn vị số lượng, "
                 "không nhận %."),
        (dict(code="LAN", tiers=["department", "ward"]),
         "tiers", "Cấp không hợp lệ: 'ward'."),
        (dict(code="LAN", tiers=[]),
         "tiers", "Chọn ít nhất một cấp."),
    ],
    ids=["percent-101", "count-2.5", "percent-on-count-indicator", "bad-tier", "no-tier"],
)
def test_it_refuses_an_invalid_target_next_to_its_field_and_saves_nothing(
    admin_client_, province_a, indicator, count_indicator, row, field, message
):
    row = dict(row)
    code = row.pop("code")
    data = plan_post_data(
        province_a, 2017,
        [target_row(indicator("LAN"), tiers=["commune"]), target_row(indicator(code), **row)],
    )

    response = admin_client_.post(reverse("admin:plans_plan_add"), data)

    assert response.status_code == 200
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[1]
    assert any(message in error for error in inline_form.errors[field]), inline_form.errors
    assert escape(message) in response.content.decode()
    assert not Plan.objects.exists()
    assert not Target.objects.exists()
    assert not Change.objects.exists()


def test_it_refuses_the_same_indicator_and_tiers_twice(admin_client_, province_a, indicator):
    data = plan_post_data(
        province_a, 2017,
        [target_row(indicator("LAN")), target_row(indicator("LAN"), tiers=["district",
                                                                           "department"])],
    )

    response = admin_client_.post(reverse("admin:plans_plan_add"), data)

    assert response.status_code == 200
    assert not Plan.objects.exists()
    # In the words of the constraint, not Django's "dữ liệu trùng lặp cho plan, indicator ...".
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert formset.non_form_errors() == ["Kế hoạch đã có chỉ tiêu này cho cùng phạm vi."]


def test_it_shows_stored_tiers_as_ticked_boxes(admin_client_, plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"),
                          tiers="department+district", value=100)

    response = admin_client_.get(reverse("admin:plans_plan_change", args=[plan_a.pk]))

    data = form_data(response, "plan_form")
    assert data["targets-0-tiers"] == ["department", "district"]


def test_it_records_target_changes_and_deletions_made_in_the_change_form(
    admin_client_, plan_a, indicator
):
    lan = Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune",
                                value=100, position=1)
    fibre = Target.objects.create(plan=plan_a, indicator=indicator("FIBRE"), tiers="commune",
                                  value=100, position=2)
    # Its history from an import, which must outlive the target.
    imported = Change.objects.create(target=fibre, channel="upload", new={"value": "100"})
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")
    assert data["targets-0-id"] == str(lan.pk)
    data["targets-0-value"] = "90"
    data["targets-1-DELETE"] = "on"
    data["_save"] = "Lưu"

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    lan.refresh_from_db()
    assert lan.value == Decimal("90")
    assert not Target.objects.filter(pk=fibre.pk).exists()
    changes = Change.objects.filter(plan=plan_a, channel="admin")
    assert changes.count() == 2
    imported.refresh_from_db()
    assert imported.target is None
    assert imported.plan == plan_a
    changed = changes.get(target=lan)
    assert (changed.old["value"], changed.new["value"]) == ("100", "90")
    deleted = changes.get(target__isnull=True)
    assert deleted.old["indicator"] == "FIBRE"
    assert deleted.new is None


def test_it_records_nothing_when_the_form_is_saved_unchanged(admin_client_, plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+district",
                          value=100)
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")

    response = admin_client_.post(url, data)

    assert response.status_code == 302
    assert not Change.objects.exists()


def test_it_records_a_status_change_made_in_the_form(admin_client_, admin_user, plan_a):
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(admin_client_.get(url), "plan_form")
    data["status"] = "closed"

    admin_client_.post(url, data)

    plan_a.refresh_from_db()
    assert plan_a.status == "closed"
    assert plan_a.closed_by == admin_user
    change = Change.objects.get(plan=plan_a)
    assert change.old == {"status": "open"}
    assert change.new["status"] == "closed"


def test_a_staff_officer_cannot_reopen_a_plan_through_the_form(client, officer_a, plan_a):
    officer_a.is_staff = True
    officer_a.save()
    officer_a.user_permissions.add(*__import__(
        "django.contrib.auth.models", fromlist=["Permission"]
    ).Permission.objects.filter(codename__in=["change_plan", "view_plan"]))
    plan_close(plan=plan_a, user=officer_a)
    client.force_login(officer_a)
    url = reverse("admin:plans_plan_change", args=[plan_a.pk])
    data = form_data(client.get(url), "plan_form")
    data["status"] = "open"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Chỉ quản trị viên mới được mở lại" in response.content.decode()
    plan_a.refresh_from_db()
    assert plan_a.status == "closed"


def test_the_copy_action_copies_plans_to_the_next_year(admin_client_, plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="commune", value=100)

    response = admin_client_.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [plan_a.pk]},
        follow=True,
    )

    copy = Plan.objects.get(province=plan_a.province, year=2018)
    assert copy.status == "draft"
    assert copy.targets.get().indicator.code == "LAN"
    assert "Đã sao chép 1 kế hoạch sang năm sau" in response.content.decode()
    assert Change.objects.filter(plan=copy, channel="admin").count() == 2


def test_the_copy_action_refuses_when_the_year_has_a_plan(
    admin_client_, plan_a, plan_b, indicator
):
    Plan.objects.create(province=plan_a.province, year=2018, title="Đã có")

    response = admin_client_.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [plan_a.pk, plan_b.pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "Không sao chép được: tỉnh Kiên Giang đã có kế hoạch năm 2018." in body
    assert "Không kế hoạch nào được sao chép." in body
    assert not Plan.objects.filter(province=plan_b.province, year=2018).exists()
    assert not Change.objects.exists()


def test_the_close_and_reopen_actions_are_recorded(admin_client_, admin_user, plan_a):
    url = reverse("admin:plans_plan_changelist")

    closed = admin_client_.post(
        url, {"action": "close", "_selected_action": [plan_a.pk]}, follow=True
    )
    plan_a.refresh_from_db()
    assert plan_a.status == "closed"
    assert plan_a.closed_by == admin_user
    assert "Đã tổng kết" in closed.content.decode()

    reopened = admin_client_.post(
        url, {"action": "reopen", "_selected_action": [plan_a.pk]}, follow=True
    )
    plan_a.refresh_from_db()
    assert plan_a.status == "open"
    assert plan_a.closed_by is None
    assert "Đã mở lại" in reopened.content.decode()

    history = list(Change.objects.filter(plan=plan_a).order_by("pk").values_list(
        "old__status", "new__status", "channel"
    ))
    assert history == [("open", "closed", "admin"), ("closed", "open", "admin")]


def test_the_reopen_action_says_why_it_refuses(admin_client_, plan_a):
    response = admin_client_.post(
        reverse("admin:plans_plan_changelist"),
        {"action": "reopen", "_selected_action": [plan_a.pk]},
        follow=True,
    )

    assert "Kế hoạch chưa tổng kết nên không cần mở lại." in response.content.decode()
    assert not Change.objects.exists()


# Results ----------------------------------------------------------------------------------

def test_saving_a_result_in_the_admin_bumps_its_version_and_records_it(
    admin_client_, admin_user, plan_a, agencies_a, indicator
):
    result = Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
        numerator=20, denominator=30,
    )
    url = reverse("admin:plans_result_change", args=[result.pk])
    data = form_data(admin_client_.get(url), "result_form")
    data["numerator"] = "25"

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    result.refresh_from_db()
    assert (result.numerator, result.version, result.updated_by) == (25, 2, admin_user)
    change = Change.objects.get(result=result)
    assert change.channel == "admin"
    assert (change.old["numerator"], change.new["numerator"]) == (20, 25)


def test_adding_a_result_in_the_admin_records_it(admin_client_, plan_a, agencies_a, indicator):
    response = admin_client_.post(
        reverse("admin:plans_result_add"),
        {
            "year": 2017, "agency": agencies_a["91-SNV"].pk, "indicator": indicator("LAN").pk,
            "value": 1, "numerator": "", "denominator": "", "note": "", "seen_version": 0,
        },
    )

    assert response.status_code == 302, response.context["errors"]
    result = Result.objects.get()
    assert result.value == 1
    assert result.version == 1
    assert Change.objects.get(result=result).channel == "admin"


def test_the_result_admin_refuses_a_save_over_a_newer_one(
    admin_client_, officer_a, plan_a, agencies_a, indicator
):
    result = Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
        numerator=20, denominator=30,
    )
    url = reverse("admin:plans_result_change", args=[result.pk])
    data = form_data(admin_client_.get(url), "result_form")
    # Someone saves after the admin opened the page.
    Result.objects.filter(pk=result.pk).update(numerator=29, version=2, updated_by=officer_a)
    data["numerator"] = "25"

    response = admin_client_.post(url, data)

    assert response.status_code == 200
    assert "officer_a đã lưu kết quả này sau khi bạn mở trang" in response.content.decode()
    result.refresh_from_db()
    assert result.numerator == 29
    assert not Change.objects.exists()


@pytest.mark.parametrize("figures, message", [
    ({"value": "", "numerator": "31", "denominator": "30"}, "Tử số (31) không được lớn hơn"),
    ({"value": "1", "numerator": "", "denominator": ""}, "Chỉ tiêu tỉ lệ nhập tử số và mẫu số"),
])
def test_the_result_admin_refuses_wrong_figures(
    admin_client_, plan_a, agencies_a, indicator, figures, message
):
    response = admin_client_.post(
        reverse("admin:plans_result_add"),
        {"year": 2017, "agency": agencies_a["91-SNV"].pk,
         "indicator": indicator("OFFICIAL_EMAIL").pk, "note": "", "seen_version": 0, **figures},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Result.objects.exists()


def test_the_result_admin_refuses_a_closed_plan(admin_client_, admin_user, plan_a, agencies_a,
                                                 indicator):
    plan_close(plan=plan_a, user=admin_user)

    response = admin_client_.post(
        reverse("admin:plans_result_add"),
        {"year": 2017, "agency": agencies_a["91-SNV"].pk, "indicator": indicator("LAN").pk,
         "value": 1, "numerator": "", "denominator": "", "note": "", "seen_version": 0},
    )

    assert response.status_code == 200
    assert "đã tổng kết" in response.content.decode()
    assert not Result.objects.exists()


def test_the_result_changelist_filters_by_province_tier_and_group(
    admin_client_, plan_a, agencies_a, agencies_b, indicator
):
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    Result.objects.create(year=2017, agency=agencies_a["91-H899"],
                          indicator=indicator("OFFICIAL_EMAIL"), numerator=1, denominator=2)
    Result.objects.create(year=2017, agency=agencies_b["33-SNV"], indicator=indicator("LAN"),
                          value=0)
    url = reverse("admin:plans_result_changelist")

    def codes(params):
        return sorted(r.agency.code for r in admin_client_.get(url, params).context["cl"]
                      .result_list)

    assert codes({"agency__province__id__exact": plan_a.province_id}) == ["91-H899", "91-SNV"]
    assert codes({"agency__tier": "district"}) == ["91-H899"]
    assert codes({"indicator__group": "infrastructure"}) == ["33-SNV", "91-SNV"]
    assert codes({"q": "Rạch Giá"}) == ["91-H899"]


# History and accounts ---------------------------------------------------------------------

def test_the_history_is_read_only(admin_client_, plan_a, admin_user):
    change = Change.objects.create(plan=plan_a, channel="admin", changed_by=admin_user,
                                   old={"status": "draft"}, new={"status": "open"})

    assert admin_client_.get(reverse("admin:plans_change_add")).status_code == 403
    page = admin_client_.get(reverse("admin:plans_change_change", args=[change.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    delete = admin_client_.post(reverse("admin:plans_change_delete", args=[change.pk]),
                                {"post": "yes"})
    assert delete.status_code == 403
    assert Change.objects.filter(pk=change.pk).exists()


def test_the_history_filters_by_channel(admin_client_, plan_a, admin_user):
    Change.objects.create(plan=plan_a, channel="admin", changed_by=admin_user)
    Change.objects.create(plan=plan_a, channel="grid", changed_by=admin_user)

    response = admin_client_.get(reverse("admin:plans_change_changelist"),
                                 {"channel__exact": "grid"})

    assert [c.channel for c in response.context["cl"].result_list] == ["grid"]


def test_the_user_page_manages_the_profile(admin_client_, officer_a, province_b):
    url = reverse("admin:auth_user_change", args=[officer_a.pk])
    data = form_data(admin_client_.get(url), "user_form")
    assert data["profile-0-role"] == "officer"
    data["profile-0-role"] = "leader"
    data["profile-0-provinces"] = [str(province_b.pk)]

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    profile = Profile.objects.get(user=officer_a)
    assert profile.role == "leader"
    assert list(profile.provinces.values_list("code", flat=True)) == ["33"]


def test_the_user_page_refuses_an_officer_without_a_province(admin_client_, officer_a):
    url = reverse("admin:auth_user_change", args=[officer_a.pk])
    data = form_data(admin_client_.get(url), "user_form")
    data.pop("profile-0-provinces")

    response = admin_client_.post(url, data)

    assert response.status_code == 200
    assert "cần ít nhất một tỉnh" in response.content.decode()
    assert Profile.objects.get(user=officer_a).provinces.count() == 1


def test_the_user_changelist_shows_roles(admin_client_, officer_a, leader_a):
    body = admin_client_.get(reverse("admin:auth_user_changelist")).content.decode()

    assert "Cán bộ nhập liệu" in body
    assert "Lãnh đạo (chỉ xem)" in body


def test_non_staff_users_cannot_open_the_admin(client, officer_a):
    client.force_login(officer_a)

    response = client.get(reverse("admin:plans_plan_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_provinces_list_counts_agencies_and_plans(admin_client_, agencies_a, plan_a):
    response = admin_client_.get(reverse("admin:plans_province_changelist"))

    (province,) = response.context["cl"].result_list
    assert (province.agency_count, province.plan_count) == (7, 1)
    assert isinstance(province, Province)


def test_the_history_shows_what_changed_in_words_and_escaped(admin_client_, plan_a, admin_user):
    Change.objects.create(
        plan=plan_a, channel="grid", changed_by=admin_user,
        old={"numerator": 20, "denominator": 30, "note": ""},
        new={"numerator": 25, "denominator": 30, "note": "<script>x</script>"},
    )

    body = admin_client_.get(reverse("admin:plans_change_changelist")).content.decode()

    assert "tử số: 20 → 25" in body
    assert "mẫu số" not in body.split('id="result_list"')[1]
    assert "ghi chú: (trống) → &lt;script&gt;x&lt;/script&gt;" in body


def test_an_admin_adds_an_account_with_its_profile(admin_client_, province_a):
    url = reverse("admin:auth_user_add")
    data = form_data(admin_client_.get(url), "user_form")
    data.update({
        "username": "canbo_moi", "password1": "Kiên-Giang-2017-một-cửa",
        "password2": "Kiên-Giang-2017-một-cửa", "profile-0-role": "officer",
        "profile-0-provinces": [str(province_a.pk)],
    })

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    profile = Profile.objects.get(user__username="canbo_moi")
    assert profile.role == "officer"
    assert profile.provinces.get() == province_a


def test_deleting_a_result_in_the_admin_keeps_its_history(
    admin_client_, plan_a, agencies_a, indicator
):
    result = Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                                   indicator=indicator("LAN"), value=1)
    Change.objects.create(result=result, channel="grid", new=result.as_dict())
    url = reverse("admin:plans_result_delete", args=[result.pk])
    assert admin_client_.get(url).status_code == 200

    response = admin_client_.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Result.objects.exists()
    assert Change.objects.filter(plan=plan_a).count() == 2


def test_deleting_a_result_of_a_closed_plan_is_refused_with_a_message(
    admin_client_, admin_user, plan_a, agencies_a, indicator
):
    result = Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                                   indicator=indicator("LAN"), value=1)
    plan_close(plan=plan_a, user=admin_user)

    one = admin_client_.post(reverse("admin:plans_result_delete", args=[result.pk]),
                             {"post": "yes"}, follow=True)
    many = admin_client_.post(
        reverse("admin:plans_result_changelist"),
        {"action": "delete_selected", "_selected_action": [result.pk], "post": "yes"},
        follow=True,
    )

    assert "kế hoạch năm 2017 đã tổng kết" in one.content.decode()
    assert "kế hoạch năm 2017 đã tổng kết" in many.content.decode()
    assert Result.objects.filter(pk=result.pk).exists()


# The admin in both languages ------------------------------------------------------------

VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)


@pytest.fixture
def english(client):
    """Make the test client ask for English, as the site's language switch does."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    "row, field, message",
    [
        (dict(code="OFFICIAL_EMAIL", value="101"),
         "value", "A percentage target must be between 0 and 100 (got 101). “Above 100%” can "
                  "never be met: write 100."),
        (dict(code="PUBLIC_SERVICES_L4", value="2.5", unit="count"),
         "value", "A count target must be a whole number of zero or more (got 2.5)."),
        (dict(code="SERVICES_L4_COUNT", value="3", unit="percent"),
         "unit", "Indicator SERVICES_L4_COUNT is a count, so its target must be a count, not %."),
    ],
    ids=["percent-101", "count-2.5", "percent-on-count-indicator"],
)
def test_it_refuses_an_invalid_target_in_english(
    admin_client_, english, province_a, indicator, count_indicator, row, field, message
):
    row = dict(row)
    data = plan_post_data(province_a, 2017, [target_row(indicator(row.pop("code")), **row)])

    response = admin_client_.post(reverse("admin:plans_plan_add"), data)

    assert response.status_code == 200
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert [str(error) for error in inline_form.errors[field]] == [message]
    assert "Please correct the error below." in response.content.decode()
    assert not Plan.objects.exists()


def test_the_admin_index_names_the_lists_in_the_plural_in_english(admin_client_, english):
    text = strip_tags(admin_client_.get(reverse("admin:index")).content.decode())

    for plural in ("Provinces", "Agencies", "Annual plans", "Results", "Change history",
                   "Indicator catalogue"):
        assert plural in text
    for singular in ("Province\n", "Agency\n", "Annual plan\n", "Result\n"):
        assert singular not in text


def test_the_admin_index_names_the_lists_in_vietnamese(admin_client_):
    text = strip_tags(admin_client_.get(reverse("admin:index")).content.decode())

    for name in ("Tỉnh", "Đơn vị", "Kế hoạch năm", "Kết quả", "Lịch sử thay đổi",
                 "Danh mục chỉ tiêu", "Người sử dụng"):
        assert name in text


def test_the_user_changelist_heads_the_full_name_column_in_either_language(
    admin_client_, officer_a
):
    officer_a.first_name, officer_a.last_name = "An", "Nguyễn Văn"
    officer_a.save()
    url = reverse("admin:auth_user_changelist")

    vietnamese = admin_client_.get(url).content.decode()
    assert "Họ và tên" in vietnamese
    assert "An Nguyễn Văn" in vietnamese
    admin_client_.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = admin_client_.get(url).content.decode()
    assert "Full name" in english
    assert "Get full name" not in english
    assert "Get full name" not in vietnamese
    translation.activate(settings.LANGUAGE_CODE)


def test_the_plan_page_names_the_target_unit_not_the_agency_in_english(
    admin_client_, english, plan_a, indicator
):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+district",
                          comparator=">=", value=Decimal("80"), unit="percent")

    response = admin_client_.get(reverse("admin:plans_plan_change", args=[plan_a.pk]))

    text = unescape(strip_tags(response.content.decode()))
    assert "Unit" in text
    assert "Agency" not in text
    assert "Đơn vị" not in text
    # The target's own line names its scope in words, not in the file format's codes.
    assert "LAN (provincial departments and district People's Committees) >= 80 %" in text


def test_the_plan_page_gives_its_targets_the_full_width(admin_client_, plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+district",
                          comparator=">=", value=Decimal("80"), unit="percent")

    response = admin_client_.get(reverse("admin:plans_plan_change", args=[plan_a.pk]))

    html = response.content.decode()
    assert 'id="nav-sidebar"' not in html
    # The tier boxes keep their names on one line; the value box is the admin's narrow one.
    assert 'id="id_targets-0-tiers" class="nowrap"' in html
    assert 'class="vIntegerField"' in html
    assert 'name="targets-0-value"' in html
    changelist = admin_client_.get(reverse("admin:plans_plan_changelist")).content.decode()
    assert 'id="nav-sidebar"' in changelist


def test_the_english_admin_list_pages_have_no_vietnamese_words(
    admin_client_, english, plan_a, agencies_a, indicator
):
    """Column headers, filters and actions; the names of things are data and stay as they are."""
    for name in ("plans_plan", "plans_agency", "plans_result", "plans_province", "plans_change",
                 "auth_user", "indicators_indicator"):
        html = admin_client_.get(reverse(f"admin:{name}_changelist")).content.decode()
        for part in re.findall(r'<(?:thead|div id="changelist-filter"|select name="action")'
                               r'.*?</(?:thead|div|select)>', html, re.DOTALL):
            for data in ("Kiên Giang", "Hưng Yên", *(a.name for a in agencies_a.values())):
                part = part.replace(data, "")
            assert VIETNAMESE_LETTER.findall(strip_tags(part)) == [], (name, strip_tags(part))


def test_it_shows_a_count_target_as_a_whole_number(client, admin_user, plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"),
                          tiers="department", comparator=">=", value=3, unit="count")
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="district",
                          comparator=">", value=Decimal("80.5"))
    client.force_login(admin_user)
    html = client.get(reverse("admin:plans_plan_change", args=[plan_a.pk])).content.decode()
    assert 'value="3"' in html
    assert 'value="3.0"' not in html
    assert 'value="80.5"' in html
