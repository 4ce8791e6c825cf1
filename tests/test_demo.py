"""The demo data set matches what the README promises (the committee's survey figures)."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from dangwu.accounts.demo import PERSONAS
from dangwu.audit.services import audit_chain_verify
from dangwu.core.demo import build_demo, demo_password
from dangwu.orgs.enums import NetworkAccess, OrgKind
from dangwu.orgs.models import Member, Organization


@pytest.fixture
def demo(db):
    return build_demo()


def test_the_demo_has_the_committee_and_47_organizations_with_1_to_6_branches(demo):
    root = Organization.objects.get(parent=None)
    assert root.kind == OrgKind.COMMITTEE
    top = Organization.objects.filter(parent=root)
    assert top.count() == 47
    branches = Counter(
        Organization.objects.filter(kind=OrgKind.BRANCH).values_list("parent__code", flat=True)
    )
    assert set(branches) == set(top.values_list("code", flat=True))
    assert all(1 <= n <= 6 for n in branches.values())


def test_network_access_and_computer_skills_follow_the_survey(demo):
    top = Organization.objects.filter(depth=1)
    assert Counter(top.values_list("network_access", flat=True)) == {
        NetworkAccess.DIRECT: 11,
        NetworkAccess.VIA_OFFICE: 15,
        NetworkAccess.NONE: 16,
        NetworkAccess.UNKNOWN: 5,
    }
    assert top.filter(secretary_computer_literate=True).count() == 20


def test_about_two_thousand_members_and_every_demo_account_signs_in(demo):
    assert 1900 <= Member.objects.count() <= 2100
    request = RequestFactory().post("/accounts/login/")
    for username, *_rest in PERSONAS:
        user = authenticate(request, username=username, password=demo_password())
        assert user is not None, username
    secretary = authenticate(request, username="demo-secretary", password=demo_password())
    assert secretary.member.organization.path.startswith("/GW/A01/")
    assert Organization.objects.get(code="A01").secretary == secretary.member


def test_the_demo_is_built_through_audited_services(demo):
    from dangwu.audit.models import AuditRecord

    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"orgs.organizations_imported", "orgs.members_imported", "accounts.role_granted"} <= (
        actions
    )
    assert audit_chain_verify() is None
