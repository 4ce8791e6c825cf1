"""Signed page tokens for reports of time spent on a page (study time, reading time).

A page that reports how long someone was active on it carries a token the server signed when
it served the page: who, which object, and when. A report may then claim at most the time the
server itself can vouch for since that moment, so a forged report cannot count time that did
not pass. The token expires, so a page left open for days must be reloaded.
"""

import math
from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.utils import timezone

from dangwu.core.errors import DomainError


def page_token(*, salt: str, user: Any, subject: int) -> str:
    """Return the token a page reports with: ``user``, the ``subject``'s id, and now."""
    # Whole milliseconds, rounded down: the page never seems younger than it is.
    payload = {"u": user.pk, "s": subject, "t": math.floor(timezone.now().timestamp() * 1000)}
    return signing.dumps(payload, salt=salt)


def page_token_time(
    *,
    token: str,
    salt: str,
    user: Any,
    subject: int,
    max_hours: int,
    invalid: str,
    expired: str,
) -> datetime:
    """Return when the page of ``token`` was served, or refuse with ``invalid`` / ``expired``.

    A token of another person or another subject is as invalid as a forged one.
    """
    try:
        data = signing.loads(token or "", salt=salt, max_age=max_hours * 3600)
    except signing.SignatureExpired:
        raise DomainError(expired) from None
    except signing.BadSignature:
        raise DomainError(invalid) from None
    if not isinstance(data, dict) or data.get("u") != user.pk or data.get("s") != subject:
        raise DomainError(invalid)
    try:
        return datetime.fromtimestamp(int(data["t"]) / 1000, tz=UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        raise DomainError(invalid) from None
