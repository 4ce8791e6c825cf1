from datetime import timedelta

import pytest
from django.utils import timezone


class Clock:
    """The platform's clock, moved by hand (``timezone.now`` everywhere in the services)."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moved.now)
    return moved


@pytest.fixture
def api_for(client, world):
    """``api_for("member")``: a JSON caller sending that persona's personal token."""
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
