"""Every protected URL and API operation × every persona → allowed or denied.

The matrix is the specification of who may do what; the policy (dangwu/access.py and each
app's permissions.py) must produce exactly it. A URL or API operation that is not listed here
fails ``test_every_url_and_operation_is_in_the_matrix``, so nothing new ships unreviewed.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dangwu.accounts.services import token_issue
from tests.personas import PERSONAS

ANONYMOUS = "anonymous"
EVERYONE = frozenset(PERSONAS) | {ANONYMOUS}
SIGNED_IN = frozenset(PERSONAS)
ADMINS = frozenset({"sysadmin", "secadmin", "auditor"})
BUSINESS = SIGNED_IN - ADMINS
MEMBER_VIEWERS = frozenset({"leader", "orgclerk", "secretary", "other_secretary"})
RECORD_KEEPERS = frozenset({"orgclerk", "secretary", "other_secretary"})


@dataclass(frozen=True)
class Case:
    name: str  # URL name (namespace:name) or API operation id
    method: str
    path: Callable  # world -> path
    allowed: frozenset[str]
    data: dict | None = None


def _leader_token(world) -> int:
    token, _secret = token_issue(actor=world.user("leader"))
    return token.pk


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
]

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
    if path.startswith("/api/") and case.method != "get":
        response = getattr(client, case.method)(
            path, case.data or {}, content_type="application/json"
        )
    else:
        response = getattr(client, case.method)(path, case.data or {})
    denied = _is_denied(persona, path, response.status_code, response.get("Location", ""))
    expected_denied = persona not in case.allowed
    assert denied == expected_denied, (
        f"{persona} {case.method.upper()} {path} → {response.status_code} "
        f"({'denied' if denied else 'allowed'}), expected "
        f"{'denied' if expected_denied else 'allowed'}"
    )
    if not denied:
        assert response.status_code < 400
