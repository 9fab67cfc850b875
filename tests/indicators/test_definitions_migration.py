"""The data migration that fills the standard indicators' definitions."""

import importlib

from django.apps import apps

from indicators.models import Indicator

TEXTS = ("concept", "numerator_definition", "denominator_definition", "formula", "legal_basis",
         "source")
fill = importlib.import_module("indicators.migrations.0004_standard_definitions").fill


def test_it_fills_every_text_of_the_14_standard_indicators_in_both_languages(db):
    indicators = list(Indicator.objects.all())
    assert len(indicators) == 14
    for indicator in indicators:
        for text in TEXTS:
            for language in ("vi", "en"):
                assert getattr(indicator, f"{text}_{language}").strip(), (
                    indicator.code, text, language
                )


def test_it_cites_the_decrees_of_each_subject(db):
    basis = dict(Indicator.objects.values_list("code", "legal_basis_vi"))
    assert "42/2022/NĐ-CP" in basis["PUBLIC_SERVICES_FULL"]
    assert "42/2022/NĐ-CP" in basis["PUBLIC_SERVICES_PARTIAL"]
    assert "45/2020/NĐ-CP" in basis["PUBLIC_SERVICES_L3"]
    assert "43/2011/NĐ-CP" in basis["PUBLIC_SERVICES_L4"]
    assert "28/2018/QĐ-TTg" in basis["E_DOCUMENTS"]
    assert "61/2018/NĐ-CP" in basis["ONE_STOP_SHOP"]
    assert "mạng truyền số liệu chuyên dùng" in basis["SPECIALIZED_NETWORK"]


def test_it_gives_each_kind_its_formula(db):
    formulas = dict(Indicator.objects.values_list("code", "formula_vi"))
    assert "trả lời “có”" in formulas["LAN"]
    assert "Tổng tử số" in formulas["OFFICIAL_EMAIL"]


def test_it_keeps_the_texts_an_admin_has_written(db):
    lan = Indicator.objects.get(code="LAN")
    lan.concept_vi = "Khái niệm do quản trị viên viết."
    lan.source_en = ""
    lan.save()
    fill(apps, None)
    lan.refresh_from_db()
    assert lan.concept_vi == "Khái niệm do quản trị viên viết."
    # A blank text is filled again.
    assert lan.source_en.startswith("Periodic reports")


def test_it_leaves_indicators_added_by_admins_alone(db):
    own = Indicator.objects.create(code="OWN", name_vi="Chỉ tiêu riêng", name_en="Own",
                                   group="internal", kind="count")
    fill(apps, None)
    own.refresh_from_db()
    assert own.concept_vi == own.formula_vi == ""
