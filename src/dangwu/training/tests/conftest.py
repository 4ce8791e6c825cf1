from datetime import date

import pytest


@pytest.fixture(autouse=True)
def _no_task_queue(settings):
    # Notifications enqueue their e-mail after commit; these tests look at the rows only.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def api_for(client, world):
    """``api_for("secretary")``: a JSON caller sending that persona's personal token."""
    from dangwu.accounts.services import token_issue

    class Caller:
        def __init__(self, persona: str) -> None:
            _token, secret = token_issue(actor=world.user(persona), name="tests")
            self.headers = {"Authorization": f"Bearer {secret}"}

        def get(self, url: str, **params):
            return client.get(url, params, headers=self.headers)

        def post(self, url: str, data=None):
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers
            )

    return Caller


@pytest.fixture
def people(world):
    """``people(org, n)``: n members of ``org`` with accounts (MEMBER role), returned as users."""
    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.orgs.services import member_link_account
    from tests.personas import add_member

    counter = {"n": 100}

    def make(org, n: int = 1, role=Role.MEMBER):
        users = []
        for _ in range(n):
            counter["n"] += 1
            serial = counter["n"]
            birth = date(1960 + serial % 20, 1 + serial % 12, 1 + serial % 28)
            member = add_member(org, f"党员{serial}", serial, birth_date=birth)
            user = user_create(actor=SYSTEM, username=f"person{serial}", password="x-Pass-2026")
            role_grant(actor=SYSTEM, user=user, role=role, organization=org)
            member_link_account(actor=SYSTEM, member=member, user=user)
            users.append(user)
        return users

    return make
