# Agency codes keep to one alphabet (plans/parsing.py, AGENCY_CODE_RULE): letters without
# diacritics, digits, "-", "_" and ".", a letter or digit first. A code with "/" made every entry
# page of its province fail (its address cannot be built).
#
# The constraint cannot be added over codes that break it (PostgreSQL refuses, SQLite's copy of
# the table fails half-way with a bare "CHECK constraint failed"), so the first operation looks
# at the codes and stops with the list of offenders and what to do.

import re

import django.core.validators
from django.db import migrations, models

# Written out, not imported: a migration keeps the rule it was made with.
ALPHABET = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# The offenders named in the message; the rest are counted.
MAX_LISTED = 20


class UnsafeAgencyCodes(Exception):
    """Existing agency codes break the alphabet: the migration must not go on."""


def unsafe_codes(codes) -> list[str]:
    """Return the codes of ``codes`` outside the alphabet, sorted."""
    return sorted(code for code in codes if not ALPHABET.match(code))


def refusal(offenders: list[str]) -> str:
    """Return the message that stops the migration: the offending codes and what to do.

    Plain Vietnamese, not gettext: ``migrate`` runs with translations switched off.
    """
    listed = ", ".join(repr(code) for code in offenders[:MAX_LISTED])
    if len(offenders) > MAX_LISTED:
        listed += f" … (và {len(offenders) - MAX_LISTED} mã khác)"
    return (
        f"Có {len(offenders)} mã đơn vị ngoài bảng chữ cho phép (chữ cái không dấu A–Z, a–z, "
        f"chữ số 0–9, các dấu “-”, “_”, “.”, bắt đầu bằng chữ cái hoặc chữ số): {listed}. "
        "Hãy đổi các mã này trong trang quản trị (Đơn vị) hoặc bằng SQL trên bảng plans_agency, "
        "sửa theo các tệp results.csv và agencies.csv còn dùng mã cũ, rồi chạy lại "
        "manage.py migrate. Kết quả đã nhập gắn với đơn vị, không với mã, nên không mất."
    )


def check_agency_codes(apps, schema_editor):
    """Raise UnsafeAgencyCodes, naming them, if any stored agency code breaks the alphabet."""
    Agency = apps.get_model("plans", "Agency")
    # Checked here in Python, not by the database's regular expressions: the same answer on
    # SQLite and PostgreSQL, and every offender found, not the first.
    offenders = unsafe_codes(Agency.objects.values_list("code", flat=True).iterator())
    if offenders:
        raise UnsafeAgencyCodes(refusal(offenders))


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0004_result_agency_no_separate_index"),
    ]

    operations = [
        migrations.RunPython(check_agency_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="agency",
            name="code",
            field=models.CharField(
                help_text="Ví dụ 91-SNV. Mã đơn vị chỉ gồm chữ cái không dấu (A–Z, a–z), chữ số "
                "0–9 và các dấu “-”, “_”, “.”, bắt đầu bằng chữ cái hoặc chữ số.",
                max_length=40,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "\\A[A-Za-z0-9][A-Za-z0-9._-]*\\Z",
                        "Mã đơn vị chỉ gồm chữ cái không dấu (A–Z, a–z), chữ số 0–9 và các dấu "
                        "“-”, “_”, “.”, bắt đầu bằng chữ cái hoặc chữ số.",
                    )
                ],
                verbose_name="mã đơn vị",
            ),
        ),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code__regex", "[^-A-Za-z0-9._]"), _negated=True),
                    ("code__regex", "^[A-Za-z0-9]"),
                ),
                name="agency_code_alphabet",
                violation_error_message="Mã đơn vị chỉ gồm chữ cái không dấu (A–Z, a–z), chữ số "
                "0–9 và các dấu “-”, “_”, “.”, bắt đầu bằng chữ cái hoặc chữ số.",
            ),
        ),
    ]
