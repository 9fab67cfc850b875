"""Creating user accounts with their role, provinces and (for reporters) agencies."""


import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plans.models import Agency, Profile, Province

# 18 random bytes: a 24-character password, about 144 bits of entropy.
GENERATED_PASSWORD_BYTES = 18


def password_generate() -> str:
    """Return a new strong random password."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def account_create(
    *, username: str, role: str, province_codes: Iterable[str], password: str | None = None,
    agency_codes: Iterable[str] = (), email: str = "",
) -> tuple:
    """Create a user with a profile of ``role`` for the provinces ``province_codes``.

    A reporter is bound to the agencies ``agency_codes`` of its one province. Return
    ``(user, generated_password)``: the password is generated (and returned, to be shown
    once) only when ``password`` is None. An admin is also staff and superuser.

    The input is checked beforehand by plans.forms.accounts.AccountForm (create_account) or
    is the application's own (the demo accounts); here it is written, in one transaction.
    Raise ValidationError, writing nothing, if the username was taken meanwhile.
    """
    User = get_user_model()
    username = username.strip()
    codes = {code.strip() for code in province_codes or ()}
    wanted = {code.strip() for code in agency_codes or ()}
    generated = None
    if password is None:
        password = generated = password_generate()
    is_admin = role == Profile.Role.ADMIN
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, email=(email or "").strip(),
                is_staff=is_admin, is_superuser=is_admin,
            )
            profile = Profile.objects.create(user=user, role=role)
            profile.provinces.set(Province.objects.filter(code__in=codes))
            profile.agencies.set(Agency.objects.filter(code__in=wanted))
    except IntegrityError as exc:
        # Created by someone else between the form's check and this insert.
        raise ValidationError(
            {"username": _("Tên đăng nhập “%(username)s” đã có người dùng.") % {
                "username": username
            }}
        ) from exc
    return user, generated
