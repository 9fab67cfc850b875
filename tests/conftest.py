"""Standing data for the whole suite: two provinces, their agencies, and the four users.

- ``officer_a``: data-entry officer of province A (Kiên Giang, 91)
- ``officer_b``: data-entry officer of province B (Hưng Yên, 33) — the outsider for A
- ``leader_a``: leader of province A (reads, changes nothing)
- ``reporter_a``: reporter of province A for one agency, 91-SNV (Sở Nội vụ)
- ``admin_user``: superuser
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from indicators.models import Indicator
from plans.models import Agency, Plan, Profile, Province

PASSWORD = "Mật-khẩu-thử-2017"


def pytest_configure(config):
    """Run the suite with production settings, except that tests speak plain HTTP.

    The test client and the live server have no TLS-terminating proxy in front of them, so the
    HTTPS redirect is switched off; everything else (DEBUG off, secure headers) stays as deployed.
    """
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    # Production hashes passwords slowly on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, role, provinces=(), agencies=(), **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    profile = Profile.objects.create(user=user, role=role)
    profile.provinces.set(provinces)
    profile.agencies.set(agencies)
    return user


@pytest.fixture(autouse=True)
def _standard_catalogue(request):
    """Give transactional tests the catalogue that the data migration installs.

    A transactional test (live server, several connections) ends by flushing every table, the
    migration's rows included; the next one would find an empty catalogue.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("indicators.migrations.0002_standard_catalogue")
    migration.install(django_apps, None)
    definitions = importlib.import_module("indicators.migrations.0004_standard_definitions")
    definitions.fill(django_apps, None)
    successions = importlib.import_module("indicators.migrations.0005_indicator_predecessor")
    successions.link(django_apps, None)


@pytest.fixture
def province_a(db):
    return Province.objects.create(code="91", name="Kiên Giang")


@pytest.fixture
def province_b(db):
    return Province.objects.create(code="33", name="Hưng Yên")


@pytest.fixture
def agencies_a(province_a):
    """Province A: the provincial committee, 2 departments, 2 districts (one gone after 2020),
    2 communes."""
    ubnd = Agency.objects.create(
        province=province_a, code="91-UBND", name="UBND tỉnh Kiên Giang", tier="province"
    )
    rows = [
        ("91-SNV", "Sở Nội vụ", "department", None, None),
        ("91-STTTT", "Sở Thông tin và Truyền thông", "department", None, None),
        ("91-H899", "UBND thành phố Rạch Giá", "district", None, 2025),
        ("91-H900", "UBND thị xã Hà Tiên", "district", None, 2020),
        ("91-X30733", "UBND phường Vĩnh Thanh", "commune", None, 2025),
        ("91-X30736", "UBND phường Vĩnh Quang", "commune", 2018, 2025),
    ]
    agencies = {"91-UBND": ubnd}
    for code, name, tier, active_from, active_to in rows:
        agencies[code] = Agency.objects.create(
            province=province_a,
            code=code,
            name=name,
            tier=tier,
            parent=ubnd,
            active_from=active_from,
            active_to=active_to,
        )
    return agencies


@pytest.fixture
def agencies_b(province_b):
    ubnd = Agency.objects.create(
        province=province_b, code="33-UBND", name="UBND tỉnh Hưng Yên", tier="province"
    )
    snv = Agency.objects.create(
        province=province_b, code="33-SNV", name="Sở Nội vụ", tier="department", parent=ubnd
    )
    return {"33-UBND": ubnd, "33-SNV": snv}


@pytest.fixture
def plan_a(province_a):
    return Plan.objects.create(
        province=province_a,
        year=2017,
        title="Kế hoạch ứng dụng CNTT năm 2017",
        document_number="123/KH-UBND",
        status=Plan.Status.OPEN,
    )


@pytest.fixture
def plan_b(province_b):
    return Plan.objects.create(province=province_b, year=2017, status=Plan.Status.OPEN)


@pytest.fixture
def indicator(db):
    """Return the catalogue's indicator with the given code."""
    return lambda code: Indicator.objects.get(code=code)


@pytest.fixture
def officer_a(province_a):
    return make_user("officer_a", Profile.Role.OFFICER, [province_a])


@pytest.fixture
def officer_b(province_b):
    return make_user("officer_b", Profile.Role.OFFICER, [province_b])


@pytest.fixture
def leader_a(province_a):
    return make_user("leader_a", Profile.Role.LEADER, [province_a])


@pytest.fixture
def reporter_a(province_a, agencies_a):
    return make_user(
        "reporter_a", Profile.Role.REPORTER, [province_a], [agencies_a["91-SNV"]],
        email="snv@kiengiang.gov.vn",
    )


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser(
        username="admin", password=PASSWORD, email="admin@example.gov.vn"
    )


@pytest.fixture(autouse=True)
def _language_reset():
    """Start each test in the default language.

    A request in English (the language cookie) leaves English active in the thread after the
    response; a later test in the same process would otherwise read English messages.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _figures_cache_off(settings):
    """Compute every page's figures afresh unless a test turns the cache on.

    Tests build their data with the ORM (tests/factories.py), which moves no figures version
    on: only the writes of plans.services do. The tests of the cache itself turn it on
    (``figures_cache``) and write through the services.
    """
    settings.FIGURES_CACHE_SECONDS = 0


@pytest.fixture
def figures_cache(settings):
    """Keep pages' figures in a cache of their own, emptied before and after the test."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "figures-test": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                         "LOCATION": "figures-test"},
    }
    settings.FIGURES_CACHE = "figures-test"
    settings.FIGURES_CACHE_SECONDS = 600
    caches["figures-test"].clear()
    yield caches["figures-test"]
    caches["figures-test"].clear()
