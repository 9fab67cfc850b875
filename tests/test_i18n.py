"""Translations: the English catalogue is complete, the language switch speaks English on every
page, Vietnamese stays the default, and Django's own messages reach Vietnamese users in
Vietnamese."""

import ast
import datetime
import gettext
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from plans.models import Result, Target
from plans.services.tables import FileError, read_table

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
CATALOGUES = [EN_PO, VI_PO, LOCALE / "vi" / "LC_MESSAGES" / "djangojs.po"]

# Letters that occur in Vietnamese and never in English (đ and the vowels with a diacritic).
VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]|%%|\{[a-z_]*\}")


# A .po file, read without polib -----------------------------------------------------------


def read_po(path):
    """Return the entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (a list),
    flags (a set) and obsolete."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"msgstr": {}, "flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                line = line[2:].strip()
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
                continue
            elif line.startswith("#") or not line.strip():
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+"(.*)"$', line)
            if match:
                name, index, text = match.groups()
                key = (name, int(index or 0))
            else:
                text = re.match(r'"(.*)"$', line).group(1)
            text = text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + text
            else:
                entry[key[0]] = entry.get(key[0], "") + text
        if "msgid" in entry:
            entry["msgstr"] = [entry["msgstr"][i] for i in sorted(entry["msgstr"])]
            entries.append(entry)
    return entries


def messages(path):
    """Return the entries of a catalogue other than its header."""
    return [entry for entry in read_po(path) if entry["msgid"]]


def header(path):
    return next(entry for entry in read_po(path) if entry["msgid"] == "")["msgstr"][0]


# The catalogues themselves ------------------------------------------------------------------


def test_it_translates_every_message_into_english():
    untranslated = [e["msgid"] for e in messages(EN_PO) if not all(e["msgstr"])]
    assert untranslated == []
    assert len(messages(EN_PO)) > 500


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_it_has_no_fuzzy_or_obsolete_entry(path):
    # makemessages marks Django's strings in locale/vi obsolete: they must be revived by hand.
    assert "fuzzy" not in read_po(path)[0]["flags"]
    assert [e["msgid"] for e in messages(path) if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages(path) if e["obsolete"]] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_it_keeps_every_placeholder_of_the_message(path):
    for entry in messages(path):
        for index, text in enumerate(entry["msgstr"]):
            if not text:
                continue
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else entry["msgid"]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
                entry["msgid"]
            )


def test_it_gives_english_two_plural_forms_and_vietnamese_one():
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header(EN_PO)
    assert "Plural-Forms: nplurals=1; plural=0;" in header(VI_PO)
    assert all(len(e["msgstr"]) == 2 for e in messages(EN_PO) if "msgid_plural" in e)
    assert all(len(e["msgstr"]) == 1 for e in messages(VI_PO) if "msgid_plural" in e)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_it_commits_a_compiled_catalogue_that_matches_the_po_file(path):
    # CI does not run compilemessages: a .po edited without compiling would not be served.
    with open(path.with_suffix(".mo"), "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    for entry in messages(path):
        if not all(entry["msgstr"]):
            continue
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            for index, text in enumerate(entry["msgstr"]):
                assert compiled.get((key, index)) == text, key
        else:
            assert compiled.get(key) == entry["msgstr"][0], key


# Django's own messages in Vietnamese ---------------------------------------------------------


def test_it_says_in_vietnamese_that_a_password_is_too_short(db):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password("Ab1!xY")
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in error.value.messages


def test_it_says_in_english_that_a_password_is_too_short(db):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_password("Ab1!xY")
    assert (
        "This password is too short. It must contain at least 10 characters."
        in error.value.messages
    )


def test_it_asks_in_vietnamese_to_correct_admin_form_errors():
    with translation.override("vi"):
        for count in (1, 2):
            assert translation.ngettext(
                "Please correct the error below.", "Please correct the errors below.", count
            ) == "Vui lòng sửa các lỗi bên dưới."


def test_it_shows_the_password_change_errors_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": "123", "new_password2": "123"},
    )
    html = response.content.decode()
    assert "Mật khẩu hiện tại không đúng. Hãy nhập lại." in html
    assert "Your old password" not in html


def test_it_names_the_login_throttle_models_in_vietnamese_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Các lần đăng nhập thử" in html
    assert "Access attempts" not in html


# The language switch ----------------------------------------------------------------------


@pytest.fixture
def dashboard_a(plan_a, agencies_a, indicator):
    """Plan A 2017: SPECIALIZED_NETWORK in departments and districts > 80 %, 3 of 4 say yes."""
    plan_a.document_date = datetime.date(2016, 12, 21)
    plan_a.save()
    target = Target.objects.create(
        plan=plan_a, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
        comparator=">", value=Decimal("80"), unit="percent", position=1,
    )
    for code, value in (("91-SNV", 1), ("91-STTTT", 1), ("91-H899", 1), ("91-H900", 0)):
        Result.objects.create(year=2017, agency=agencies_a[code],
                              indicator=indicator("SPECIALIZED_NETWORK"), value=value)
    return target


def choose_english(client, next_url="/"):
    """Switch to English through the site's language form, as a user does."""
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def page_text(response):
    """Return the visible text of a page, without its script, style and tags."""
    assert response.status_code == 200
    return strip_tags(response.content.decode())


@pytest.fixture(autouse=True)
def _back_to_vietnamese():
    # The test client leaves the last request's language active in the test's thread.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_it_shows_the_login_page_in_english(db, client):
    choose_english(client, reverse("login"))
    text = page_text(client.get(reverse("login")))
    for english in ("Log in", "Username", "Password", "Contact the Steering Committee"):
        assert english in text
    for vietnamese in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert vietnamese not in text


def test_it_shows_the_home_page_in_english(client, officer_a, plan_a):
    client.force_login(officer_a)
    choose_english(client)
    text = page_text(client.get(reverse("plans:home")))
    for english in ("IT application plans by province", "Kiên Giang province (code 91)",
                    "In progress", "Enter results", "Log out (officer_a)"):
        assert english in text
    for vietnamese in ("Kế hoạch ứng dụng CNTT theo tỉnh", "Đang thực hiện", "Nhập kết quả",
                       "Đăng xuất"):
        assert vietnamese not in text


def test_it_shows_the_dashboard_in_english_except_names(client, leader_a, dashboard_a,
                                                         agencies_a):
    client.force_login(leader_a)
    choose_english(client)
    url = reverse("plans:dashboard_plan", args=["91", 2017])
    text = page_text(client.get(url))
    for english in ("0/1 targets met", "Indicator", "Scope", "Achieved", "Not met",
                    "above 80 %", "4/4 agencies reported", "Date of issue"):
        assert english in text
    for vietnamese in ("chỉ tiêu đạt", "Phạm vi", "Đạt được", "Chưa đạt", "trên 80 %",
                       "đơn vị đã báo cáo"):
        assert vietnamese not in text
    # Names stay as they are; nothing else on the page may be Vietnamese.
    for name in ("Tiếng Việt", dashboard_a.plan.title, "Kiên Giang",
                 *(agency.name for agency in agencies_a.values())):
        text = text.replace(name, "")
    assert VIETNAMESE_LETTER.findall(text) == []


def test_it_shows_a_target_page_in_english(client, leader_a, dashboard_a):
    client.force_login(leader_a)
    choose_english(client)
    url = reverse("plans:dashboard_target", args=["91", 2017, dashboard_a.pk])
    text = page_text(client.get(url))
    assert "Reported figures" in text
    assert "Yes" in text
    assert "Số liệu báo cáo" not in text


# Vietnamese first -------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "fr-FR,fr;q=0.8,en;q=0.5"])
def test_it_speaks_vietnamese_whatever_the_browser_asks(db, client, accept):
    text = page_text(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept))
    assert "Tên đăng nhập" in text
    assert "Username" not in text


def test_it_returns_to_vietnamese_through_the_switch(db, client):
    choose_english(client, reverse("login"))
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    text = page_text(client.get(reverse("login")))
    assert "Tên đăng nhập" in text
    assert "Username" not in text


# Numbers and dates follow the language ------------------------------------------------------


def test_it_writes_numbers_and_dates_in_the_active_language(client, leader_a, dashboard_a):
    client.force_login(leader_a)
    url = reverse("plans:dashboard_plan", args=["91", 2017])
    vietnamese = page_text(client.get(url))
    assert "75,0 %" in vietnamese
    assert "21/12/2016" in vietnamese
    choose_english(client, url)
    english = page_text(client.get(url))
    assert "75.0 %" in english
    assert "75,0 %" not in english
    assert "2016-12-21" in english


# Django's own messages kept by makemessages ---------------------------------------------------

DJANGO_STRINGS = Path(settings.BASE_DIR) / "egov_targets" / "django_strings.py"


def django_strings():
    """Return (msgctxt, msgid) of every message egov_targets/django_strings.py names, read
    without importing it."""
    marks = {"gettext_noop": 0, "ngettext_lazy": 0, "pgettext_lazy": 1}
    found = set()
    for node in ast.walk(ast.parse(DJANGO_STRINGS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in marks:
            context = node.args[0].value if node.func.id == "pgettext_lazy" else None
            found.add((context, node.args[marks[node.func.id]].value))
    return found


def test_it_keeps_in_vietnamese_exactly_the_django_messages_it_names():
    named = django_strings()
    translated = {(e.get("msgctxt"), e["msgid"]) for e in messages(VI_PO) if all(e["msgstr"])}
    assert len(named) > 100
    # Every message translated in vi is named, so makemessages never marks it obsolete ...
    assert translated - named == set()
    # ... and every message named is translated.
    assert named - translated == set()


def test_it_keeps_the_django_messages_as_they_are_in_english():
    named = django_strings()
    for entry in messages(EN_PO):
        if (entry.get("msgctxt"), entry["msgid"]) in named:
            forms = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
            assert entry["msgstr"] == forms[: len(entry["msgstr"])], entry["msgid"]


def test_it_never_imports_the_list_of_django_messages():
    assert "egov_targets.django_strings" not in sys.modules


# Words with two meanings, and plurals -------------------------------------------------------


def test_it_tells_the_unit_of_measure_from_the_agency_in_english():
    unit = Target._meta.get_field("unit").verbose_name
    agency = Result._meta.get_field("agency").verbose_name
    with translation.override("en"):
        assert (str(unit), str(agency)) == ("unit", "agency")
    with translation.override("vi"):
        assert (str(unit), str(agency)) == ("đơn vị", "đơn vị")


@pytest.mark.parametrize(
    "model, singular, plural",
    [(Result, "result", "results"), (Target, "plan target", "plan targets")],
)
def test_it_names_models_in_the_plural_in_english(model, singular, plural):
    with translation.override("en"):
        assert str(model._meta.verbose_name) == singular
        assert str(model._meta.verbose_name_plural) == plural


def test_it_names_a_picture_uploaded_by_mistake_in_english():
    with translation.override("en"), pytest.raises(FileError) as error:
        list(read_table(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, columns=["year"]))
    assert "a PNG (image) file" in error.value.message
    assert "ảnh" not in error.value.message
