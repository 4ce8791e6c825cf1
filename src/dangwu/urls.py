"""URL root: mounts each app's URLs. The public deployment mounts only public parts."""

from django.urls import include, path

from dangwu.api.api import api
from dangwu.core import views as core_views
from dangwu.core.admin_site import admin_site

urlpatterns = [
    path("", include(("dangwu.core.urls", "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("care/", core_views.care_mode_toggle, name="care_mode"),
    path("accounts/", include("dangwu.accounts.urls")),
    path("orgs/", include("dangwu.orgs.urls")),
    path("portal/", include("dangwu.portal.urls")),
    path("audit/", include("dangwu.audit.urls")),
    path("mail/", include("dangwu.messages.urls")),
    path("documents/", include("dangwu.documents.urls")),
    path("incoming/", include("dangwu.incoming.urls")),
    path("archive/", include("dangwu.archive.urls")),
    path("school/", include("dangwu.school.urls")),
    path("exams/", include("dangwu.exams.urls")),
    path("training/", include("dangwu.training.urls")),
    path("library/", include("dangwu.library.urls")),
    path("submissions/", include("dangwu.submissions.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]

handler403 = "dangwu.core.views.forbidden"
handler404 = "dangwu.core.views.not_found"
