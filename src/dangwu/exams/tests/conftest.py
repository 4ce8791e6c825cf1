import pytest


@pytest.fixture(autouse=True)
def _no_task_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


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

        def post(self, url: str, data=None, content_type="application/json"):
            return client.post(url, data or {}, content_type=content_type, headers=self.headers)

        def put(self, url: str, data):
            return client.put(url, data, content_type="application/json", headers=self.headers)

        def patch(self, url: str, data):
            return client.patch(url, data, content_type="application/json", headers=self.headers)

    return Caller
