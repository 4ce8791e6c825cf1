import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from dangwu import access
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import Forbidden
from dangwu.core.middleware import DomainErrorMiddleware


def test_healthz_reports_the_database_as_json(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_sign_in_and_takes_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def refuse(user, *, inside_transaction: bool):
    """Raise the policy's refusal, as a service (in its transaction) or a view would."""
    if inside_transaction:
        with transaction.atomic():
            access.require(user, "audit.view")
    access.require(user, "audit.view")


@pytest.mark.parametrize("inside_transaction", [True, False])
def test_refusal_is_audited_exactly_once_even_when_its_transaction_rolls_back(
    world, inside_transaction
):
    leader = world.user("leader")
    request = RequestFactory().get("/audit/")
    request.user = leader
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())

    with pytest.raises(Forbidden) as refused:
        refuse(leader, inside_transaction=inside_transaction)
    response = middleware.process_exception(request, refused.value)

    assert response.status_code == 403
    denials = AuditRecord.objects.filter(action="access.denied")
    assert [(d.actor_name, d.details) for d in denials] == [
        ("demo-leader", {"permission": "audit.view"})
    ]
