"""The API's access tokens: who a program acts as, and how to tell its token without storing it."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The first characters of a token, stored in clear to find its row: long enough to be unique
# in practice, far too short to guess the rest (the token holds 256 random bits).
TOKEN_PREFIX_LENGTH = 8
LABEL_MAX_LENGTH = 100


def token_digest(token: str) -> str:
    """Return the SHA-256 of ``token`` in hex: what the database keeps instead of the token.

    A token is 32 random bytes, so a plain hash is enough: no salt or slow hash is needed
    against guessing, unlike a password chosen by a person.
    """
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token of the API: acts with its owner's role and provinces until revoked."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("chủ sở hữu"),
    )
    label = models.CharField(_("nhãn"), max_length=LABEL_MAX_LENGTH, blank=True)
    # Unique: the row a presented token is looked up by (plans.api.auth).
    prefix = models.CharField(_("tiền tố"), max_length=TOKEN_PREFIX_LENGTH, unique=True)
    digest = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("plural", "mã truy cập API")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A hex SHA-256, never a token in clear by mistake.
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="apitoken_digest_hex"
            ),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.label or self.owner})"

    def matches(self, token: str) -> bool:
        """Return True if ``token`` is this row's token (compared in constant time)."""
        return hmac.compare_digest(self.digest, token_digest(token))

    def is_expired(self, now=None) -> bool:
        """Return True once the token's expiry has passed."""
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
