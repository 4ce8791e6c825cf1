"""Whole-page cache for what visitors read: the same page for every visitor, rendered once.

A visitor's reading page (portal home, column, article) is the same for every visitor, so it is
rendered once and served from the cache until the content changes. The cache key holds the
content version (``ContentVersion``, raised with every change, see ``changed``), so a
publication or withdrawal shows at once in the worker that made it and within a second in every
other one (``version``); an entry also expires when the content
may change by itself (a scheduled article falls due: the view's ``until``), and after
``MAX_AGE`` in any case.

Only pages without anything personal are cached: anonymous GET/HEAD requests with no pending
messages, 200 answers. The one per-visitor part, the CSRF token in the care-mode form, is
rendered as a placeholder and filled in for each visitor from their own cookie.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from dangwu.core.context_processors import care_mode_of
from dangwu.core.models import ContentVersion

T = TypeVar("T")

MAX_AGE = 300
VERSION_SECONDS = 1.0
# Rendered in place of the CSRF token while a page is being cached (see core.context_processors).
CSRF_PLACEHOLDER = "dangwu-page-cache-csrf-placeholder"
_RENDERING = "_dangwu_page_cache_rendering"
# name → (number, when read): this process's recent reading of each content version.
_versions: dict[str, tuple[int, float]] = {}


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a page is rendered for the cache, its CSRF token is a placeholder.

    Listed after Django's own CSRF processor, so it wins; every other render gets the real token.
    """
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, _RENDERING, False) else {}


def version(name: str) -> int:
    """Return the content version ``name`` (0 before the first change).

    Read from the database at most once per ``VERSION_SECONDS`` per process: a cached page then
    costs no query at all (a round trip is a third of a cached page's time on PostgreSQL). A
    change made in this process is seen at once (``changed`` forgets the number); one made in
    another worker within ``VERSION_SECONDS``.
    """
    now = time.monotonic()
    known = _versions.get(name)
    if known is not None and now - known[1] < VERSION_SECONDS:
        return known[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM core_contentversion WHERE name = %s", [name])
        row = cursor.fetchone()
    number = row[0] if row else 0
    # Inside a transaction the number may yet be rolled back: never remember it.
    if not connection.in_atomic_block:
        _versions[name] = (number, now)
    return number


def changed(name: str) -> None:
    """Raise the content version ``name``, inside the current transaction.

    Readers see the new number exactly when they see the change: with it if the transaction
    commits, neither if it rolls back. Until then they may cache the old content under the old
    number, which nobody will ask for once the new one is visible.
    """
    _versions.pop(name, None)
    if not ContentVersion.objects.filter(name=name).update(number=F("number") + 1):
        ContentVersion.objects.get_or_create(name=name, defaults={"number": 1})


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not get_messages(request)
    )


def _key(request: HttpRequest, name: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    care = int(care_mode_of(request))
    return f"page:{settings.SITE}:{name}:{version(name)}:{care}:{path}"


def _expires(now: float, until: Callable[[], datetime | None]) -> float:
    change = until()
    expires = now + MAX_AGE
    return expires if change is None else min(expires, change.timestamp())


def remember(
    name: str,
    key: str,
    build: Callable[[], T],
    *,
    until: Callable[[], datetime | None] = lambda: None,
) -> T:
    """Return ``build()``, computed once per ``key`` while content version ``name`` holds.

    For data that many people share but visitors' pages do not cover, such as the article
    lists of one audience (all members see the same internal columns). ``until`` as for
    ``visitor_page``.
    """
    full_key = f"data:{settings.SITE}:{name}:{version(name)}:{key}"
    now = timezone.now().timestamp()
    entry = cache.get(full_key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = build()
    expires = _expires(now, until)
    cache.set(full_key, (expires, value), timeout=max(1, int(expires - now)))
    return value


def _serve(request: HttpRequest, entry: tuple[float, bytes, str]) -> HttpResponse:
    _, content, content_type = entry
    token = get_token(request).encode()
    return HttpResponse(content.replace(CSRF_PLACEHOLDER.encode(), token), content_type)


def visitor_page(
    name: str, *, until: Callable[[], datetime | None] = lambda: None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache the decorated view's pages for visitors while content version ``name`` holds.

    ``until`` returns when the content may change without anybody changing it (None: not
    before ``MAX_AGE``); it is asked only when a page is rendered.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, name)
            now = timezone.now().timestamp()
            entry = cache.get(key)
            if entry is not None and entry[0] > now:
                return _serve(request, entry)
            setattr(request, _RENDERING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING, False)
            if response.status_code != 200 or response.cookies:
                return response
            expires = _expires(now, until)
            entry = (expires, response.content, response["Content-Type"])
            cache.set(key, entry, timeout=max(1, int(expires - now)))
            return _serve(request, entry)

        return wrapper

    return decorate
