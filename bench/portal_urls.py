"""URLconf of the server that ``bench.portal`` measures: the platform's URLs plus a baseline.

``/bench/static/<name>/`` returns a copy of a real page stored in
``<data dir>/baseline/<name>.html``: a minimal Django view, through the same middleware, that
answers with a page of the same size without a query or a template.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

_pages: dict[str, bytes] = {}


def static_page(request: HttpRequest, name: str) -> HttpResponse:
    """Return the stored page ``name`` (read once per process)."""
    body = _pages.get(name)
    if body is None:
        body = _pages[name] = (settings.DATA_DIR / "baseline" / f"{name}.html").read_bytes()
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/static/<slug:name>/", static_page),
    path("", include("dangwu.urls")),
]

handler403 = "dangwu.core.views.forbidden"
handler404 = "dangwu.core.views.not_found"
