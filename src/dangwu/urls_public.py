"""URL root of the public site (``DANGWU_SITE=public``): the public portal and nothing else.

The reading pages of the portal are taken from ``dangwu.portal.urls`` by name, so both sites
serve the same views at the same addresses under the same names (templates reverse them alike);
the public site mounts them at its root. There is no sign-in, no editing, no administration, no
member, organization or audit page and no API here: those URLs do not exist, they are not merely
refused. Whatever this site shows comes from signed bundles (``dangwu exchange import``).
"""

from django.urls import include, path

from dangwu.core import views as core_views
from dangwu.portal import urls as portal_urls
from dangwu.portal import views as portal_views

# The portal's pages a visitor may use; everything else in dangwu.portal.urls is for editors.
PUBLIC_PORTAL_PAGES = frozenset(
    {
        "home",
        "column",
        "feed",
        "article",
        "article_print",
        "sitemap",
        "attachment_download",
        "search",
    }
)

portal_patterns = [p for p in portal_urls.urlpatterns if p.name in PUBLIC_PORTAL_PAGES]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # The shared layout links its brand to core:home; here that is the portal's home page.
    path("", include(([path("", portal_views.home, name="home")], "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("care/", core_views.care_mode_toggle, name="care_mode"),
    # The intake form of organizations with internet access only (submissions, inward bundle).
    path("submit/", include("dangwu.submissions.public_urls")),
]

handler403 = "dangwu.core.views.forbidden"
handler404 = "dangwu.core.views.not_found"
