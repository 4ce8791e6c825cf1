"""Count page views of portal pages without touching the database on the page's path.

After a successful GET of a page named in ``VISITS_PAGES`` (by URL name, e.g.
``portal:article``), the middleware appends (time, kind, object, identity) to this process's
buffer (:mod:`dangwu.analytics.buffer`) and, for a new visitor, sets a first-party cookie with
a random value. The identity is, in this order: the signed-in account, that cookie, or —
when the visitor asks not to be tracked (``Sec-GPC`` / ``DNT``) — address and user agent. It
is hashed with a key of the day (HMAC-SM3) before anything is stored; the address never is.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dangwu.analytics.bots import is_bot
from dangwu.analytics.buffer import armed
from dangwu.analytics.enums import VisitKind
from dangwu.core.request_context import address_of

_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{22}")
_COOKIE_MAX_AGE = 365 * 24 * 3600


def object_id_of(request: HttpRequest, kind: str) -> int | None:
    """Return the id of the article or column a page shows (0 for the home page).

    A view may say so itself (``request.visit_object_id``); otherwise the URL's ``pk`` or
    ``id``, or a column's ``slug`` looked up among the columns.
    """
    if kind == VisitKind.HOME:
        return 0
    given = getattr(request, "visit_object_id", None)
    if given is not None:
        return int(given)
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    for name in ("pk", "id"):
        if name in kwargs:
            try:
                return int(kwargs[name])
            except (TypeError, ValueError):
                return None
    if kind == VisitKind.COLUMN and "slug" in kwargs:
        return _column_id(kwargs["slug"])
    return None


# slug → (column id, when looked up): column pages come from the page cache without running
# their view, so the id is looked up here, once a minute per column and process at most.
_column_ids: dict[str, tuple[int, float]] = {}
COLUMN_ID_SECONDS = 60.0


def _column_id(slug: str) -> int | None:
    from dangwu.portal.models import Column

    now = time.monotonic()
    known = _column_ids.get(slug)
    if known is not None and now - known[1] < COLUMN_ID_SECONDS:
        return known[0]
    pk = Column.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if pk is None:
        _column_ids.pop(slug, None)
    else:
        _column_ids[slug] = (pk, now)
    return pk


def _does_not_want_tracking(request: HttpRequest) -> bool:
    return request.META.get("HTTP_SEC_GPC") == "1" or request.META.get("HTTP_DNT") == "1"


class VisitMiddleware:
    """Record visits of the pages in ``VISITS_PAGES``; see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.pages: dict[str, str] = dict(settings.VISITS_PAGES)
        self.cookie = settings.VISITS_COOKIE_NAME
        # Read once: a settings attribute costs microseconds per access through LazySettings.
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.secure_cookie = settings.SESSION_COOKIE_SECURE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        buffer = armed()
        match = request.resolver_match
        if (
            buffer is None
            or match is None
            or response.status_code != 200
            or request.method != "GET"
            or (kind := self.pages.get(match.view_name)) is None
            or is_bot(request.META)
        ):
            return response
        object_id = object_id_of(request, kind)
        if object_id is None:
            return response
        identity, new_cookie = self._identity(request)
        buffer.record(kind, object_id, identity)
        if new_cookie:
            response.set_cookie(
                self.cookie,
                new_cookie,
                max_age=_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=self.secure_cookie,
            )
        return response

    def _identity(self, request: HttpRequest) -> tuple[str, str | None]:
        """Return the visitor's identity and the value of a cookie to set (or None)."""
        # Without a session cookie nobody is signed in: spare loading the (lazy) user.
        if self.session_cookie in request.COOKIES:
            user: Any = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return f"u:{user.pk}", None
        cookie = request.COOKIES.get(self.cookie, "")
        if _COOKIE_VALUE.fullmatch(cookie):
            return f"c:{cookie}", None
        if _does_not_want_tracking(request):
            return f"a:{address_of(request)} {request.META.get('HTTP_USER_AGENT', '')}", None
        cookie = secrets.token_urlsafe(16)
        return f"c:{cookie}", cookie
