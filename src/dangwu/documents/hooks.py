"""The documents app's places in the menu and in 我的待办, its periodic job and demo data."""

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu import access
from dangwu.core import hooks
from dangwu.core.periodic import PERIODIC_JOBS, PeriodicJob
from dangwu.documents import permissions as perms
from dangwu.documents import selectors
from dangwu.documents.demo import build_documents
from dangwu.documents.enums import ReceiptStatus, Urgency
from dangwu.documents.models import Receipt
from dangwu.documents.reminders import sign_deadline

# 我的待办 lists at most this many receipts one by one; the rest are counted in one line.
TODO_SHOWN = 10


@hooks.register(hooks.MENU_ITEMS)
def menu_items() -> list[hooks.MenuItem]:
    return [
        hooks.MenuItem(
            gettext_lazy("Outgoing documents"), "documents:list", perms.DOCUMENT_VIEW, order=50
        ),
        hooks.MenuItem(
            gettext_lazy("Received documents"), "documents:inbox", perms.RECEIPT_WORK, order=51
        ),
    ]


@hooks.register(hooks.TODO_PROVIDERS)
def todos(user: Any) -> list[hooks.TodoItem]:
    """Documents to sign for (one line each), to handle, to review and to sign off."""
    items: list[hooks.TodoItem] = []
    kind = _("Official documents")
    if access.can(user, perms.RECEIPT_SIGN):
        unsigned = (
            selectors.receipts_visible(user)
            .filter(status=ReceiptStatus.UNSIGNED)
            .only("id", "created_at", "document__title", "document__urgency", "organization__name")
            .order_by("created_at", "id")
        )
        shown = list(unsigned[: TODO_SHOWN + 1])
        items.extend(
            hooks.TodoItem(
                title=_("Sign for (%(organization)s): %(title)s")
                % {"organization": r.organization.name, "title": r.document.title},
                url=reverse("documents:receipt", args=[r.pk]),
                kind=kind,
                urgent=r.document.urgency != Urgency.NORMAL,
                due=timezone.localtime(sign_deadline(r.document, r.created_at)).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                action_url=reverse("documents:receipt_sign", args=[r.pk]),
                action_label=_("Sign for it"),
            )
            for r in shown[:TODO_SHOWN]
        )
        if len(shown) > TODO_SHOWN:
            items.append(
                hooks.TodoItem(
                    title=_("More documents to sign for"),
                    url=reverse("documents:inbox") + "?state=unsigned",
                    kind=kind,
                )
            )
    if getattr(user, "is_authenticated", False):
        assigned = (
            Receipt.objects.filter(
                assignee_id=user.pk, status__in=[ReceiptStatus.SIGNED, ReceiptStatus.HANDLING]
            )
            .only("id", "document__title")
            .select_related("document")[:TODO_SHOWN]
        )
        items.extend(
            hooks.TodoItem(
                title=_("To handle: %(title)s") % {"title": r.document.title},
                url=reverse("documents:receipt", args=[r.pk]),
                kind=kind,
            )
            for r in assigned
        )
    waiting = selectors.documents_waiting(user).select_related(None).only("id", "title", "status")
    for document in waiting[:TODO_SHOWN]:
        items.append(
            hooks.TodoItem(
                title=_("%(state)s: %(title)s")
                % {"state": document.get_status_display(), "title": document.title},
                url=reverse("documents:detail", args=[document.pk]),
                kind=kind,
            )
        )
    return items


@hooks.register(PERIODIC_JOBS)
def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(
            name="documents.send_reminders",
            every=timedelta(minutes=15),
            run="dangwu.documents.reminders.reminders_send",
        )
    ]


hooks.register("demo_builders")(build_documents)
