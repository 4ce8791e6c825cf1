import pytest


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

        def delete(self, url: str):
            return client.delete(url, headers=self.headers)

    return Caller
