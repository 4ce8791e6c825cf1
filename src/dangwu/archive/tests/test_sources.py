"""The archive providers: incoming documents and distributed outgoing documents (发文)."""

import pytest
from django.utils import timezone

from dangwu.archive import services
from dangwu.archive.enums import Retention
from dangwu.archive.providers import archive_provider, archive_providers
from dangwu.core.errors import DomainError
from dangwu.documents.tests.factories import document_in

pytestmark = pytest.mark.django_db
OUTGOING = "documents.document"


def test_both_kinds_of_documents_have_a_provider():
    assert {"incoming.document", OUTGOING} <= set(archive_providers())
    assert archive_provider("nothing.here") is None


def test_a_distributed_outgoing_document_is_archived_under_its_number(world):
    document = document_in(world, "distributed")
    item = services.item_archive(
        actor=world.user("clerk"),
        kind=OUTGOING,
        source_id=document.pk,
        retention=Retention.PERMANENT,
        unit="BGS",
        pages=2,
    )
    assert item.doc_number == document.number and item.doc_number
    assert item.responsible == world.orgs["root"].name
    assert item.date == timezone.localdate(document.signed_at)
    assert item.classification == "非密"


def test_an_outgoing_document_not_yet_distributed_is_refused(world):
    document = document_in(world, "signed")
    with pytest.raises(DomainError):
        services.item_archive(
            actor=world.user("clerk"),
            kind=OUTGOING,
            source_id=document.pk,
            retention=Retention.YEARS_10,
            unit="BGS",
            pages=2,
        )
