"""Every protected URL and API operation × every persona → allowed or denied.

The matrix is the specification of who may do what; the policy (dangwu/access.py and each
app's permissions.py) must produce exactly it. A URL or API operation that is not listed here
fails ``test_every_url_and_operation_is_in_the_matrix``, so nothing new ships unreviewed.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dangwu.access import SYSTEM
from dangwu.accounts.services import token_issue
from dangwu.core.visibility import Visibility
from dangwu.portal import services as portal_services
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Column
from tests.matrix import (
    ANONYMOUS,
    BRANCH1_WRITERS,
    BUSINESS,
    EVERYONE,
    MEMBER_VIEWERS,
    PORTAL_REVIEWERS,
    PORTAL_WRITERS,
    RECORD_KEEPERS,
    SIGNED_IN,
    Case,
    app_cases,
)


def _leader_token(world) -> int:
    token, _secret = token_issue(actor=world.user("leader"))
    return token.pk


ARTICLES_API = "/api/v1/portal/articles"


def _portal_api_column(world) -> Column:
    return portal_services.column_create(
        actor=SYSTEM, slug="matrix", name="要闻要论", visibility=Visibility.PUBLIC
    )


def _portal_api_article(world, state: str = ArticleStatus.DRAFT) -> int:
    """Return the id of a public article of the first branch, brought to ``state``."""
    article = portal_services.article_create(
        actor=SYSTEM,
        organization=world.orgs["branch1"],
        column=_portal_api_column(world),
        title="矩阵",
        visibility=Visibility.PUBLIC,
    )
    if state != ArticleStatus.DRAFT:
        portal_services.article_submit(actor=SYSTEM, article=article)
    if state == ArticleStatus.PUBLISHED:
        portal_services.article_publish(actor=SYSTEM, article=article)
    return article.pk


PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


class _Picture:
    """A picture the test client can send any number of times (the cases are shared)."""

    name = "合影.png"

    def read(self, *args) -> bytes:
        return PNG


def _portal_file(world, state: str = "draft") -> tuple[int, int, str]:
    """Return (article id, attachment id, attachment key) of an article with a picture."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.portal import services as portal
    from dangwu.portal.attachments import attachment_add
    from dangwu.portal.models import Article

    article = Article.objects.get(pk=_portal(world))
    editor = world.user("editor")
    picture = attachment_add(
        actor=editor, article=article, upload=SimpleUploadedFile("合影.png", PNG, "image/png")
    )
    if state == "published":
        portal.article_submit(actor=editor, article=article)
        portal.article_publish(actor=editor, article=article)
    return article.pk, picture.pk, str(picture.uuid)


def _portal(world, state: str = "draft", column: str = "news") -> int:
    """Return the id of an article of 第一机关党委 in ``state``, in a public or internal column."""
    from dangwu.access import SYSTEM
    from dangwu.portal import services as portal

    columns = getattr(world, "portal_columns", None)
    if columns is None:
        columns = world.portal_columns = {
            "news": portal.column_create(
                actor=SYSTEM, slug="news", name="动态", visibility="public"
            ),
            "notices": portal.column_create(
                actor=SYSTEM, slug="notices", name="通知", visibility="internal"
            ),
        }
    editor = world.user("editor")
    article = portal.article_create(
        actor=editor, organization=world.orgs["org1"], column=columns[column], title="稿件"
    )
    if state in ("submitted", "published"):
        portal.article_submit(actor=editor, article=article)
    if state == "published":
        portal.article_publish(actor=editor, article=article)
    return article.pk


WRITERS = frozenset({"editor", "orgclerk", "secretary", "other_secretary"})
ORG1_WRITERS = frozenset({"editor", "orgclerk", "secretary"})
REVIEWERS = frozenset({"editor"})


CASES = [
    # ------------------------------------------------------------------ pages
    Case("healthz", "get", lambda w: "/healthz", EVERYONE),
    Case("accounts:login", "get", lambda w: "/accounts/login/", EVERYONE),
    # Signing out sends people to the sign-in page; "next" keeps that apart from a refusal.
    Case("accounts:logout", "post", lambda w: "/accounts/logout/", EVERYONE, {"next": "/healthz"}),
    Case("care_mode", "post", lambda w: "/care/", EVERYONE, {"enabled": "1"}),
    Case("core:home", "get", lambda w: "/", SIGNED_IN),
    Case("accounts:profile", "get", lambda w: "/accounts/profile/", SIGNED_IN),
    Case("accounts:keepalive", "get", lambda w: "/accounts/keepalive/", SIGNED_IN),
    Case("accounts:password_change", "get", lambda w: "/accounts/password/", SIGNED_IN),
    Case("accounts:token_create", "post", lambda w: "/accounts/tokens/", SIGNED_IN, {"name": "x"}),
    Case(
        "accounts:token_revoke",
        "post",
        lambda w: f"/accounts/tokens/{_leader_token(w)}/revoke/",
        frozenset({"leader", "secadmin"}),
    ),
    Case("orgs:tree", "get", lambda w: "/orgs/", BUSINESS),
    Case("orgs:organization", "get", lambda w: f"/orgs/{w.orgs['org2'].pk}/", BUSINESS),
    Case("orgs:members", "get", lambda w: "/orgs/members/", MEMBER_VIEWERS),
    Case("orgs:members_export", "get", lambda w: "/orgs/members/export.xlsx", MEMBER_VIEWERS),
    Case(
        "orgs:member",
        "get",
        lambda w: f"/orgs/members/{w.members['member'].pk}/",
        frozenset({"leader", "orgclerk", "secretary", "member"}),
    ),
    Case(
        "orgs:member_reveal",
        "post",
        lambda w: f"/orgs/members/{w.members['member'].pk}/reveal/",
        frozenset({"orgclerk", "secretary", "member"}),
    ),
    Case("orgs:import", "get", lambda w: "/orgs/import/", RECORD_KEEPERS),
    Case(
        "orgs:import_template",
        "get",
        lambda w: "/orgs/import/template/members.xlsx",
        RECORD_KEEPERS,
    ),
    Case("audit:list", "get", lambda w: "/audit/", frozenset({"auditor"})),
    Case("audit:export", "get", lambda w: "/audit/export.xlsx", frozenset({"auditor"})),
    Case("admin:index", "get", lambda w: "/admin/", frozenset({"sysadmin", "secadmin"})),
    Case(
        "admin:accounts_user_changelist",
        "get",
        lambda w: "/admin/accounts/user/",
        frozenset({"sysadmin", "secadmin"}),
    ),
    Case(
        "admin:accounts_roleassignment_changelist",
        "get",
        lambda w: "/admin/accounts/roleassignment/",
        frozenset({"secadmin"}),
    ),
    # ------------------------------------------------------------------ API
    Case("api:openapi-json", "get", lambda w: "/api/v1/openapi.json", EVERYONE),
    Case("api:me", "get", lambda w: "/api/v1/me", SIGNED_IN),
    Case("api:token_list", "get", lambda w: "/api/v1/auth/tokens", SIGNED_IN),
    Case(
        "api:token_revoke",
        "delete",
        lambda w: f"/api/v1/auth/tokens/{_leader_token(w)}",
        frozenset({"leader", "secadmin"}),
    ),
    Case("api:organization_list", "get", lambda w: "/api/v1/organizations", BUSINESS),
    Case(
        "api:organization_detail",
        "get",
        lambda w: f"/api/v1/organizations/{w.orgs['org2'].pk}",
        BUSINESS,
    ),
    Case(
        "api:organization_subtree",
        "get",
        lambda w: f"/api/v1/organizations/{w.orgs['org1'].pk}/subtree",
        BUSINESS,
    ),
    Case("api:member_list", "get", lambda w: "/api/v1/members", MEMBER_VIEWERS),
    Case(
        "api:member_detail",
        "get",
        lambda w: f"/api/v1/members/{w.members['member'].pk}",
        frozenset({"leader", "orgclerk", "secretary", "member"}),
    ),
    Case(
        "api:member_reveal",
        "post",
        lambda w: f"/api/v1/members/{w.members['member'].pk}/reveal",
        frozenset({"orgclerk", "secretary", "member"}),
    ),
    # ------------------------------------------------------------------ search (全文检索)
    Case("portal:search", "get", lambda w: "/portal/search/?q=党建", EVERYONE),
    Case("api:search_articles", "get", lambda w: "/api/v1/search?q=党建", EVERYONE),
    # ------------------------------------------------------------------ portal API
    Case("api:column_list", "get", lambda w: "/api/v1/portal/columns", EVERYONE),
    Case(
        "api:column_detail",
        "get",
        lambda w: f"/api/v1/portal/columns/{_portal_api_column(w).pk}",
        EVERYONE,
    ),
    Case("api:article_list", "get", lambda w: "/api/v1/portal/articles", EVERYONE),
    Case(
        "api:article_detail",
        "get",
        lambda w: f"/api/v1/portal/articles/{_portal_api_article(w, ArticleStatus.PUBLISHED)}",
        EVERYONE,
    ),
    Case("api:my_article_list", "get", lambda w: "/api/v1/portal/my/articles", PORTAL_WRITERS),
    Case(
        "api:my_article_detail",
        "get",
        lambda w: f"/api/v1/portal/my/articles/{_portal_api_article(w)}",
        BRANCH1_WRITERS,
    ),
    Case(
        "api:article_create",
        "post",
        lambda w: "/api/v1/portal/articles",
        BRANCH1_WRITERS,
        lambda w: {
            "organization": w.orgs["branch1"].pk,
            "column": _portal_api_column(w).pk,
            "title": "矩阵",
        },
    ),
    Case(
        "api:article_update",
        "patch",
        lambda w: f"/api/v1/portal/articles/{_portal_api_article(w)}",
        BRANCH1_WRITERS,
        {"title": "改过的矩阵"},
    ),
    Case(
        "api:article_submit",
        "post",
        lambda w: f"/api/v1/portal/articles/{_portal_api_article(w)}/submit",
        BRANCH1_WRITERS,
    ),
    Case(
        "api:article_return",
        "post",
        lambda w: f"{ARTICLES_API}/{_portal_api_article(w, ArticleStatus.SUBMITTED)}/return",
        PORTAL_REVIEWERS,
        {"comment": "请修改"},
    ),
    Case(
        "api:article_publish",
        "post",
        lambda w: f"{ARTICLES_API}/{_portal_api_article(w, ArticleStatus.SUBMITTED)}/publish",
        PORTAL_REVIEWERS,
    ),
    Case(
        "api:article_withdraw",
        "post",
        lambda w: f"{ARTICLES_API}/{_portal_api_article(w, ArticleStatus.PUBLISHED)}/withdraw",
        PORTAL_REVIEWERS,
    ),
    Case(
        "api:article_revisions",
        "get",
        lambda w: f"/api/v1/portal/articles/{_portal_api_article(w)}/revisions",
        BRANCH1_WRITERS,
    ),
    Case(
        "api:article_visits",
        "get",
        lambda w: f"/api/v1/portal/articles/{_portal_api_article(w)}/visits",
        BRANCH1_WRITERS,
    ),
    # ------------------------------------------------------------------ portal pages (党建网)
    Case("portal:home", "get", lambda w: "/portal/", EVERYONE),
    Case("portal:column", "get", lambda w: (_portal(w), "/portal/c/news/")[1], EVERYONE),
    Case("portal:column", "get", lambda w: (_portal(w), "/portal/c/notices/")[1], SIGNED_IN),
    Case("portal:feed", "get", lambda w: (_portal(w), "/portal/c/news/rss.xml")[1], EVERYONE),
    Case("portal:sitemap", "get", lambda w: "/portal/sitemap.xml", EVERYONE),
    Case("portal:article", "get", lambda w: f"/portal/a/{_portal(w, 'published')}/", EVERYONE),
    Case(
        "portal:article",
        "get",
        lambda w: f"/portal/a/{_portal(w, 'published', 'notices')}/",
        SIGNED_IN,
    ),
    Case("portal:article", "get", lambda w: f"/portal/a/{_portal(w)}/", frozenset()),
    Case(
        "portal:article_print",
        "get",
        lambda w: f"/portal/a/{_portal(w, 'published')}/print/",
        EVERYONE,
    ),
    Case("portal:mine", "get", lambda w: "/portal/mine/", WRITERS),
    Case("portal:create", "get", lambda w: "/portal/mine/new/", WRITERS),
    Case("portal:create_docx", "get", lambda w: "/portal/mine/new/docx/", WRITERS),
    Case("portal:manage", "get", lambda w: f"/portal/mine/{_portal(w)}/", ORG1_WRITERS),
    Case("portal:edit", "get", lambda w: f"/portal/mine/{_portal(w)}/edit/", ORG1_WRITERS),
    Case("portal:history", "get", lambda w: f"/portal/mine/{_portal(w)}/history/", ORG1_WRITERS),
    Case("portal:submit", "post", lambda w: f"/portal/mine/{_portal(w)}/submit/", ORG1_WRITERS),
    Case(
        "portal:publish",
        "post",
        lambda w: f"/portal/mine/{_portal(w, 'submitted')}/publish/",
        REVIEWERS,
        {"when": "now"},
    ),
    Case(
        "portal:return",
        "post",
        lambda w: f"/portal/mine/{_portal(w, 'submitted')}/return/",
        REVIEWERS,
        {"comment": "请修改"},
    ),
    Case(
        "portal:withdraw",
        "post",
        lambda w: f"/portal/mine/{_portal(w, 'published')}/withdraw/",
        REVIEWERS,
    ),
    Case(
        "portal:attachment_add",
        "post",
        lambda w: f"/portal/mine/{_portal(w)}/attachments/",
        ORG1_WRITERS,
        {"file": _Picture()},
    ),
    Case(
        "portal:attachment_remove",
        "post",
        lambda w: "/portal/mine/{}/attachments/{}/remove/".format(*_portal_file(w)[:2]),
        ORG1_WRITERS,
    ),
    Case(
        "portal:attachment_download",
        "get",
        lambda w: f"/portal/files/{_portal_file(w, 'published')[2]}/",
        EVERYONE,
    ),
    Case(
        "portal:attachment_download",
        "get",
        lambda w: f"/portal/files/{_portal_file(w)[2]}/",
        ORG1_WRITERS,
    ),
    Case("portal:review", "get", lambda w: "/portal/review/", REVIEWERS),
    # ------------------------------------------------------------------ attachments (附件)
    Case("portal:attachment_download", "get", lambda w: _attachment_url(w), ORG1_WRITERS),
    Case(
        "portal:attachment_download",
        "get",
        lambda w: _attachment_url(w, "published"),
        EVERYONE,
    ),
    Case(
        "portal:attachment_download",
        "get",
        lambda w: _attachment_url(w, "published", column="notices"),
        SIGNED_IN,
    ),
    *app_cases(),
]


def _attachment_url(world, state: str = "draft", column: str = "news") -> str:
    """Return the download address of a PDF on an article of 第一机关党委 in ``state``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.portal.attachments import attachment_add, download_url
    from dangwu.portal.models import Article
    from dangwu.portal.tests.files import pdf

    article = Article.objects.get(pk=_portal(world, column=column))
    upload = SimpleUploadedFile("附件.pdf", pdf("附件"))
    attachment = attachment_add(actor=SYSTEM, article=article, upload=upload)
    if state == "published":
        portal_services.article_submit(actor=SYSTEM, article=article)
        portal_services.article_publish(actor=SYSTEM, article=article)
    return download_url(attachment)


# Not protected by a role at all, checked elsewhere: the token endpoint takes credentials
# (tests in api/tests/test_auth.py), the API root is ninja's placeholder.
UNLISTED = {"api:token_issue", "api:api-root"}
# The rest of Django's admin behaves as its index does (tested in accounts/tests/test_admin.py).
ADMIN_PREFIX = "admin:"


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            names |= _url_names(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_and_operation_is_in_the_matrix():
    listed = {case.name for case in CASES} | UNLISTED
    names = {n for n in _url_names(get_resolver()) if not n.startswith(ADMIN_PREFIX)}
    assert sorted(names - listed) == []


def _is_denied(persona: str, path: str, status: int, location: str) -> bool:
    if persona == ANONYMOUS and path.startswith("/api/"):
        return status == 401
    # Pages send strangers to a sign-in page (the admin to its own, which then refuses).
    return status in (403, 404) or (status == 302 and "login" in location)


@pytest.mark.parametrize("persona", sorted(EVERYONE))
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_access_matrix(client, world, case, persona):
    if persona != ANONYMOUS:
        client.force_login(world.user(persona))
    path = case.path(world)
    data = case.data(world) if callable(case.data) else case.data
    if path.startswith("/api/") and case.method != "get":
        response = getattr(client, case.method)(path, data or {}, content_type="application/json")
    else:
        response = getattr(client, case.method)(path, data or {})
    denied = _is_denied(persona, path, response.status_code, response.get("Location", ""))
    expected_denied = persona not in case.allowed
    assert denied == expected_denied, (
        f"{persona} {case.method.upper()} {path} → {response.status_code} "
        f"({'denied' if denied else 'allowed'}), expected "
        f"{'denied' if expected_denied else 'allowed'}"
    )
    if not denied:
        assert response.status_code < 400
