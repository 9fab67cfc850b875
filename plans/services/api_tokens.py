"""API tokens: create one (shown once), use one (checked, its last use stamped), revoke some."""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import ApiToken
from plans.models.api import LABEL_MAX_LENGTH, TOKEN_PREFIX_LENGTH, token_digest

# The longest life a token may be given, in days (about ten years): a bound, not a default.
MAX_EXPIRES_DAYS = 3660
# A token's last use is stamped at most this often: a write (and on SQLite a commit to disk)
# on every read would cost more than the read itself (bench: 64 ms against 9 ms of queries).
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class TokenRefused(Exception):
    """The token presented is unknown, expired or revoked, or its owner may not sign in."""

    reason: str  # "unknown" | "expired" | "revoked"


def api_token_create(
    *, username: str, label: str = "", expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``username``; return its row and the token, which is kept nowhere.

    Raise ValidationError for an unknown or inactive account, a label too long, or a life
    outside 1..MAX_EXPIRES_DAYS days.
    """
    owner = get_user_model().objects.filter(username=username).first()
    if owner is None or not owner.is_active:
        raise ValidationError(
            _("Không có tài khoản đang hoạt động tên “%(username)s”.") % {"username": username}
        )
    label = label.strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise ValidationError(
            _("Nhãn dài %(length)s ký tự; tối đa %(max)s.")
            % {"length": len(label), "max": LABEL_MAX_LENGTH}
        )
    expires_at = None
    if expires_days is not None:
        if not 1 <= expires_days <= MAX_EXPIRES_DAYS:
            raise ValidationError(
                _("Số ngày hiệu lực phải từ 1 đến %(max)s, nhận được %(days)s.")
                % {"max": MAX_EXPIRES_DAYS, "days": expires_days}
            )
        expires_at = timezone.now() + datetime.timedelta(days=expires_days)
    while True:
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                row = ApiToken.objects.create(
                    owner=owner, label=label, prefix=token[:TOKEN_PREFIX_LENGTH],
                    digest=token_digest(token), expires_at=expires_at,
                )
        except IntegrityError:
            # Another token starts with the same characters (rare): draw again.
            continue
        return row, token


def api_token_use(*, token: str) -> ApiToken:
    """Return the usable token row of ``token`` with its owner, its last use stamped now.

    Raise TokenRefused for a token that is unknown (or whose owner is gone or inactive),
    expired or revoked. One query, and a second to stamp the last use when the one stored is
    older than LAST_USE_RESOLUTION.
    """
    row = (
        ApiToken.objects.select_related("owner", "owner__profile")
        .filter(prefix=token[:TOKEN_PREFIX_LENGTH])
        .first()
    )
    if row is None or not row.matches(token) or not row.owner.is_active:
        raise TokenRefused("unknown")
    if row.is_revoked:
        raise TokenRefused("revoked")
    now = timezone.now()
    if row.is_expired(now):
        raise TokenRefused("expired")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def api_tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke the tokens of ``tokens`` (a queryset) not revoked yet; return how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
