"""Creating user accounts with their role, provinces and (for reporters) agencies."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plans.models import Agency, Profile, Province

# 18 random bytes: a 24-character password, about 144 bits of entropy.
GENERATED_PASSWORD_BYTES = 18


def password_generate() -> str:
    """Return a new strong random password."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def _password_messages(exc: ValidationError) -> list[str]:
    """Return the validators' messages, in Vietnamese where Django's own catalogue lacks it."""
    messages = []
    for error in exc.error_list:
        if error.code == "password_too_short":
            messages.append(
                _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % error.params
            )
        else:
            messages.extend(error.messages)
    return messages


def profile_scope_errors(
    *, role: str, provinces, agencies, all_provinces: bool = False, unknown_agencies=()
) -> dict[str, list[str]]:
    """Return what is wrong with giving ``role`` these provinces and agencies, by field.

    A reporter needs exactly one province (not all of them) and at least one agency, every
    one of that province; only reporters have agencies. ``unknown_agencies`` are codes found
    nowhere: they get the same words as another province's agency, so that trying codes tells
    nothing. Keys: ``provinces``, ``agencies``. The rule of create_account and of the admin.
    """
    errors: dict[str, list[str]] = {}
    if role != Profile.Role.REPORTER:
        if agencies or unknown_agencies:
            errors["agencies"] = [_("Chỉ cán bộ báo cáo của đơn vị mới được giao đơn vị.")]
        return errors
    provinces = list(provinces)
    if all_provinces or len(provinces) != 1:
        errors["provinces"] = [
            _("Cán bộ báo cáo của đơn vị cần đúng một tỉnh, không phải nhiều tỉnh hay tất cả "
              "các tỉnh.")
        ]
        return errors
    (province,) = provinces
    elsewhere = sorted(
        {*unknown_agencies, *(a.code for a in agencies if a.province_id != province.pk)}
    )
    if elsewhere:
        errors["agencies"] = [
            _("Không có đơn vị mã %(codes)s thuộc tỉnh %(province)s.")
            % {"codes": ", ".join(elsewhere), "province": province.name}
        ]
    elif not agencies:
        errors["agencies"] = [
            _("Cán bộ báo cáo của đơn vị cần ít nhất một đơn vị của tỉnh %(province)s.")
            % {"province": province.name}
        ]
    return errors


def account_create(
    *, username: str, role: str, province_codes, password: str | None = None,
    agency_codes=(), email: str = "",
) -> tuple:
    """Create a user with a profile of ``role`` for the provinces ``province_codes``.

    A reporter is bound to the agencies ``agency_codes`` of its one province. Return
    ``(user, generated_password)``: the password is generated (and returned, to be shown
    once) only when ``password`` is None. An admin is also staff and superuser. Raise
    ValidationError, keyed by argument, listing every problem; nothing is written then.
    """
    User = get_user_model()
    username = (username or "").strip()
    email = (email or "").strip()
    codes = list(dict.fromkeys(code.strip() for code in province_codes or () if code.strip()))
    wanted_agencies = list(
        dict.fromkeys(code.strip() for code in agency_codes or () if code.strip())
    )
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not username:
        add("username", _("Chưa nhập tên đăng nhập."))
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            add(
                "username",
                _("Tên đăng nhập “%(username)s” chỉ được gồm chữ, chữ số và các ký tự @ . + - _.")
                % {"username": username},
            )
        if User.objects.filter(username__iexact=username).exists():
            add("username", _("Tên đăng nhập “%(username)s” đã có người dùng.") % {
                "username": username
            })
    if role not in Profile.Role.values:
        add(
            "role",
            _("Vai trò “%(role)s” không hợp lệ. Chọn một trong: %(roles)s.")
            % {"role": role, "roles": ", ".join(Profile.Role.values)},
        )
    provinces = list(Province.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {province.code for province in provinces})
    if unknown:
        add(
            "province_codes",
            _("Không có tỉnh nào mang mã %(codes)s.") % {"codes": ", ".join(unknown)},
        )
    elif role in (Profile.Role.OFFICER, Profile.Role.LEADER) and not codes:
        add(
            "province_codes",
            _("Vai trò %(role)s cần ít nhất một tỉnh (--province MÃ_TỈNH).")
            % {"role": Profile.Role(role).label},
        )
    agencies = list(Agency.objects.filter(code__in=wanted_agencies))
    if not unknown and role in Profile.Role.values:
        scope_errors = profile_scope_errors(
            role=role,
            provinces=provinces,
            agencies=agencies,
            unknown_agencies=set(wanted_agencies) - {agency.code for agency in agencies},
        )
        for field, messages in scope_errors.items():
            errors.setdefault(
                "province_codes" if field == "provinces" else "agency_codes", []
            ).extend(messages)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add("email", _("Địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email})
    generated = None
    if password is None:
        password = generated = password_generate()
    elif username:
        try:
            validate_password(password, user=User(username=username))
        except ValidationError as exc:
            errors.setdefault("password", []).extend(_password_messages(exc))
    if errors:
        raise ValidationError(errors)

    is_admin = role == Profile.Role.ADMIN
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, email=email, is_staff=is_admin,
                is_superuser=is_admin,
            )
            profile = Profile.objects.create(user=user, role=role)
            profile.provinces.set(provinces)
            profile.agencies.set(agencies)
    except IntegrityError as exc:
        # Created by someone else between our check and our insert.
        raise ValidationError(
            {"username": _("Tên đăng nhập “%(username)s” đã có người dùng.") % {
                "username": username
            }}
        ) from exc
    return user, generated
