"""Background work of the documents app (django-tasks; run by the worker, never in a request)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from dangwu import access
from dangwu.documents.enums import URGENCY_MARKS
from dangwu.documents.models import Document
from dangwu.orgs.models import Organization


@task()
def announce_distribution(document_id: int) -> int:
    """Tell every recipient organization's secretary and clerks that a document has arrived."""
    from dangwu.messages.services import notify, organization_contacts

    document = Document.objects.filter(pk=document_id).only("title", "urgency").first()
    if document is None:
        return 0
    organizations = Organization.objects.filter(document_receipts__document_id=document_id)
    mark = URGENCY_MARKS.get(document.urgency)
    prefix = f"【{mark}】" if mark else ""
    return int(
        notify(
            actor=access.SYSTEM,
            recipients=organization_contacts(organizations),
            kind="documents.distributed",
            title=(prefix + _("New document to sign for: %(title)s") % {"title": document.title})[
                :200
            ],
            url=reverse("documents:inbox") + "?state=unsigned",
        )
    )
