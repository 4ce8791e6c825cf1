"""Fixtures for calling the API as a persona with a personal token."""

import pytest

from dangwu.accounts.services import token_issue


@pytest.fixture
def token_for(world):
    """``token_for("secretary")`` returns a fresh personal token secret for that persona."""

    def issue(persona: str) -> str:
        _token, secret = token_issue(actor=world.user(persona), name="tests")
        return secret

    return issue


@pytest.fixture
def api_as(client, token_for):
    """``api_as("secretary").get(url)``: the test client sending that persona's bearer token."""

    class Caller:
        def __init__(self, secret: str) -> None:
            self.headers = {"Authorization": f"Bearer {secret}"}

        def get(self, url: str, **params):
            return client.get(url, params, headers=self.headers)

        def post(self, url: str, data=None):
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers
            )

        def delete(self, url: str):
            return client.delete(url, headers=self.headers)

    return lambda persona: Caller(token_for(persona))
