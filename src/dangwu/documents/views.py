"""The documents pages: drafting and the workflow, the issuer's dashboard, print and PDF, and the
recipients' inbox (签收, 办理, 答复).

Views fetch through the selectors (which answer "not yours" like "missing") and change things
only through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, Forbidden, NotFound
from dangwu.core.files import file_response
from dangwu.core.forms import show_refusal
from dangwu.documents import exports, printing, selectors, services
from dangwu.documents import permissions as perms
from dangwu.documents.enums import EDITABLE, OVERDUE, DocumentStatus, ReceiptStatus
from dangwu.documents.forms import (
    AssignForm,
    CommentForm,
    DocumentForm,
    FileForm,
    GroupForm,
    NoteForm,
    ReplyForm,
    ReturnForm,
    SignForm,
    StateFilterForm,
)
from dangwu.documents.models import Document, Receipt, RecipientGroup

PER_PAGE = 30
DASHBOARD_PER_PAGE = 100


# ---------------------------------------------------------------------------------- issuing


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """发文: the documents of the organizations the person issues for, last changed first."""
    access.require(request.user, perms.DOCUMENT_VIEW)
    documents = (
        selectors.documents_visible(request.user)
        .only(*selectors.DOCUMENT_LIST_FIELDS)
        .order_by("-updated_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in DocumentStatus.values:
        documents = documents.filter(status=status)
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "status": status,
            "statuses": DocumentStatus.choices,
            "waiting": list(selectors.documents_waiting(request.user)[:20]),
            "may_draft": access.can(request.user, perms.DOCUMENT_DRAFT),
        },
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    """Draft a new document; it is saved as a draft."""
    access.require(request.user, perms.DOCUMENT_DRAFT)
    if request.method != "POST":
        form = DocumentForm(user=request.user)
        return render(request, "documents/form.html", {"form": form})
    form = DocumentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            document = services.document_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                **form.service_values(),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/form.html", {"form": form}, status=400)


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or a returned document."""
    document = selectors.document_access(user=request.user, pk=pk)
    access.require(request.user, perms.DOCUMENT_DRAFT, document)
    if document.status not in EDITABLE:
        messages.error(request, _("This document can no longer be changed."))
        return redirect("documents:detail", pk=document.pk)
    context: dict[str, Any] = {"document": document}
    if request.method != "POST":
        form = DocumentForm(initial=DocumentForm.initial_for(document), user=request.user)
        del form.fields["organization"]
        return render(request, "documents/form.html", {**context, "form": form})
    form = DocumentForm(request.POST, user=request.user)
    del form.fields["organization"]
    if form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, **form.service_values())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/form.html", {**context, "form": form}, status=400)


def _detail_context(request: HttpRequest, document: Document, **forms: Any) -> dict[str, Any]:
    user = request.user
    status = document.status
    return {
        "document": document,
        "steps": list(document.steps.all()),
        "files": list(document.files.all()),
        "may_edit": status in EDITABLE and access.can(user, perms.DOCUMENT_DRAFT, document),
        "may_review": status == DocumentStatus.IN_REVIEW
        and access.can(user, perms.DOCUMENT_REVIEW, document),
        "may_sign": status == DocumentStatus.AWAITING_SIGNOFF
        and access.can(user, perms.DOCUMENT_SIGN, document),
        "may_distribute": status == DocumentStatus.SIGNED
        and access.can(user, perms.DOCUMENT_DISTRIBUTE, document),
        "may_follow": status == DocumentStatus.DISTRIBUTED
        and access.can(user, perms.DOCUMENT_DISTRIBUTE, document),
        "file_form": forms.get("file_form") or FileForm(),
        "review_form": forms.get("review_form") or CommentForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "sign_form": forms.get("sign_form") or SignForm(),
    }


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A document as its issuers see it: state, history, recipients, files and the next step."""
    document = selectors.document_access(user=request.user, pk=pk)
    return render(request, "documents/detail.html", _detail_context(request, document))


def _act(request: HttpRequest, document: Document, done: str, action: Any, **forms: Any) -> Any:
    """Run ``action`` for a button on the document's page (see ``act_on_page``)."""
    return act_on_page(
        request,
        action=action,
        done=done,
        back=reverse("documents:detail", args=[document.pk]),
        page=lambda **shown: render(
            request,
            "documents/detail.html",
            _detail_context(request, document, **shown),
            status=400,
        ),
        **forms,
    )


@login_required
@require_POST
def document_submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    return _act(
        request,
        document,
        _("The document is sent for review."),
        lambda: services.document_submit(actor=request.user, document=document),
    )


@login_required
@require_POST
def document_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    form.is_valid()
    return _act(
        request,
        document,
        _("The document is reviewed and sent to the leader for sign-off."),
        lambda: services.document_review(
            actor=request.user, document=document, comment=form.cleaned_data.get("comment", "")
        ),
        review_form=form,
    )


@login_required
@require_POST
def document_return(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    return _act(
        request,
        document,
        _("The document is returned to its drafter with your comment."),
        lambda: services.document_return(
            actor=request.user, document=document, comment=form.data.get("comment", "")
        ),
        return_form=form,
    )


@login_required
@require_POST
def document_sign(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    form = SignForm(request.POST)
    form.is_valid()

    def sign() -> None:
        services.document_sign(
            actor=request.user, document=document, comment=form.cleaned_data.get("comment", "")
        )

    return _act(
        request, document, _("The document is signed off and numbered."), sign, sign_form=form
    )


@login_required
@require_POST
def document_distribute(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    try:
        count = services.document_distribute(actor=request.user, document=document)
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("documents:detail", pk=document.pk)
    messages.success(
        request, _("The document is distributed to %(n)d organizations.") % {"n": count}
    )
    return redirect("documents:dashboard", pk=document.pk)


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a file to a document that can still be changed."""
    document = selectors.document_access(user=request.user, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_file_add(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            show_refusal(form, error, "file")
        else:
            messages.success(request, _("The file is attached."))
            return redirect("documents:detail", pk=document.pk)
    context = _detail_context(request, document, file_form=form)
    return render(request, "documents/detail.html", context, status=400)


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    document = selectors.document_access(user=request.user, pk=pk)
    stored = document.files.filter(pk=file_pk).first()
    if stored is None:
        raise NotFound(_("This file does not exist."))
    return _act(
        request,
        document,
        _("The file %(name)s is removed.") % {"name": stored.original_name},
        lambda: services.document_file_remove(actor=request.user, stored=stored),
    )


@login_required
def file_download(request: HttpRequest, key: Any) -> FileResponse:
    """A document's attachment or a reply's, under its original name."""
    stored = selectors.file_access(user=request.user, key=key)
    return file_response(stored.file, content_type=stored.content_type, name=stored.original_name)


def _back_url(request: HttpRequest, document: Document) -> str:
    if access.can(request.user, perms.DOCUMENT_VIEW, document):
        return reverse("documents:detail", args=[document.pk])
    return reverse("documents:inbox")


@login_required
def document_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The document in the GB/T 9704 layout, ready for the browser's print."""
    document = selectors.document_readable(user=request.user, pk=pk)
    layout = printing.layout(document, list(document.files.all()))
    return render(
        request,
        "documents/print.html",
        {"layout": layout, "back_url": _back_url(request, document)},
    )


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as an A4 PDF in the GB/T 9704 layout."""
    document = selectors.document_readable(user=request.user, pk=pk)
    response = HttpResponse(printing.document_pdf(document), content_type="application/pdf")
    name = f"{document.number or document.title}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name) or ""
    return response


def _state(request: HttpRequest) -> str:
    filters = StateFilterForm(request.GET or None)
    return filters.cleaned_data["state"] if filters.is_valid() else ""


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The issuer's follow-up of one document: every recipient's state, who acted and when."""
    document = selectors.document_access(user=request.user, pk=pk)
    access.require(request.user, perms.DOCUMENT_DISTRIBUTE, document)
    now = timezone.now()
    state = _state(request)
    page = Paginator(selectors.dashboard_rows(document, state, now), DASHBOARD_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(r, selectors.receipt_state(r, document, now)) for r in page.object_list]
    replies = [r for r, _state in rows if r.status == ReceiptStatus.REPLIED]
    prefetch_related_objects(replies, "files")
    figures = selectors.timeliness(document, now)
    return render(
        request,
        "documents/dashboard.html",
        {
            "document": document,
            "page": page,
            "rows": rows,
            "replies": replies,
            "figures": figures,
            "share_percent": None
            if figures.signed_in_time_share is None
            else round(figures.signed_in_time_share * 100),
            "filters": StateFilterForm(request.GET or None),
            "state": state,
            "states": [(v, exports.state_label(v), figures.by_state[v]) for v in ReceiptStatus],
        },
    )


@login_required
def dashboard_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard as an Excel file (the filter applied)."""
    document = selectors.document_access(user=request.user, pk=pk)
    access.require(request.user, perms.DOCUMENT_DISTRIBUTE, document)
    data = exports.receipts_workbook(document, _state(request), timezone.now())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{document.number or document.title}-签收情况.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    """Saved recipient groups: the list, and a form to add one."""
    access.require(request.user, perms.DOCUMENT_DISTRIBUTE)
    form = GroupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    rule=form.cleaned_data["rule"],
                    organizations=list(form.cleaned_data["organizations"]),
                )
            except DomainError as error:
                show_refusal(form, error, "name")
            else:
                messages.success(request, _("The group is saved."))
                return redirect("documents:groups")
        status = 400
    listed = RecipientGroup.objects.prefetch_related("organizations")
    return render(request, "documents/groups.html", {"form": form, "groups": listed}, status=status)


# ---------------------------------------------------------------------------------- receiving


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """收到的公文: the documents my organizations received, unsigned first."""
    receipts = selectors.receipts_visible(request.user)
    state = _state(request)
    now = timezone.now()
    if state == OVERDUE:
        receipts = receipts.filter(selectors.inbox_overdue_q(now))
    elif state:
        receipts = receipts.filter(status=state)
    receipts = receipts.defer("document__body", "document__body_text", "reply_text").order_by(
        "-created_at", "-id"
    )
    page = Paginator(receipts, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(r, selectors.receipt_state(r, r.document, now)) for r in page.object_list]
    return render(
        request,
        "documents/inbox.html",
        {"page": page, "rows": rows, "filters": StateFilterForm(request.GET or None)},
    )


def _receipt_context(request: HttpRequest, receipt: Receipt, **forms: Any) -> dict[str, Any]:
    user = request.user
    document = receipt.document
    may_sign = access.can(user, perms.RECEIPT_SIGN, receipt)
    signed = receipt.status != ReceiptStatus.UNSIGNED
    now = timezone.now()
    return {
        "receipt": receipt,
        "document": document,
        "state": selectors.receipt_state(receipt, document, now),
        "files": list(document.files.all()),
        "reply_files": list(receipt.files.all()),
        "notes": list(receipt.notes.all()),
        "may_sign": may_sign and not signed,
        "may_assign": may_sign and signed and receipt.status != ReceiptStatus.REPLIED,
        "may_note": signed and receipt.status != ReceiptStatus.REPLIED,
        "may_reply": signed
        and document.reply_required
        and receipt.status != ReceiptStatus.REPLIED
        and not (document.late_replies_closed and document.reply_due and document.reply_due < now),
        "assign_form": forms.get("assign_form")
        or AssignForm(users=services.assignable_users(receipt)),
        "note_form": forms.get("note_form") or NoteForm(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
    }


@login_required
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A received document: sign for it with one button, then handle it and reply."""
    receipt = selectors.receipt_access(user=request.user, pk=pk)
    return render(request, "documents/receipt.html", _receipt_context(request, receipt))


def _receipt_act(
    request: HttpRequest, receipt: Receipt, done: str, action: Any, name: str = "", form: Any = None
) -> HttpResponse:
    try:
        action()
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect("documents:receipt", pk=receipt.pk)
        show_refusal(form, error)
        context = _receipt_context(request, receipt, **{name: form})
        return render(request, "documents/receipt.html", context, status=400)
    messages.success(request, done)
    return redirect("documents:receipt", pk=receipt.pk)


@login_required
@require_POST
def receipt_sign(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_access(user=request.user, pk=pk)
    return _receipt_act(
        request,
        receipt,
        _("Signed for. You can now assign it and record its handling."),
        lambda: services.receipt_sign(actor=request.user, receipt=receipt),
    )


@login_required
@require_POST
def receipt_assign(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_access(user=request.user, pk=pk)
    access.require(request.user, perms.RECEIPT_SIGN, receipt)
    form = AssignForm(request.POST, users=services.assignable_users(receipt))
    if not form.is_valid():
        context = _receipt_context(request, receipt, assign_form=form)
        return render(request, "documents/receipt.html", context, status=400)
    return _receipt_act(
        request,
        receipt,
        _("The document is assigned."),
        lambda: services.receipt_assign(
            actor=request.user,
            receipt=receipt,
            assignee=form.cleaned_data["assignee"],
            note=form.cleaned_data["note"],
        ),
        "assign_form",
        form,
    )


@login_required
@require_POST
def receipt_note(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_access(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _receipt_context(request, receipt, note_form=form)
        return render(request, "documents/receipt.html", context, status=400)
    return _receipt_act(
        request,
        receipt,
        _("The note is recorded."),
        lambda: services.receipt_note_add(
            actor=request.user, receipt=receipt, text=form.cleaned_data["text"]
        ),
        "note_form",
        form,
    )


@login_required
@require_POST
def receipt_reply(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_access(user=request.user, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _receipt_context(request, receipt, reply_form=form)
        return render(request, "documents/receipt.html", context, status=400)
    return _receipt_act(
        request,
        receipt,
        _("The reply is sent to the issuer."),
        lambda: services.receipt_reply(
            actor=request.user,
            receipt=receipt,
            text=form.cleaned_data["text"],
            uploads=form.cleaned_data["attachments"],
        ),
        "reply_form",
        form,
    )
