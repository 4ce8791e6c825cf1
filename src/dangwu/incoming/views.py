"""Pages of incoming documents: the list, registration and one document with its whole trail.

Every page fetches through the selectors (a document the user may not see is answered like a
missing one) and changes things only through the services.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dangwu import access
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.files import file_response
from dangwu.core.forms import apply_problems
from dangwu.incoming import permissions as perms
from dangwu.incoming import selectors, services
from dangwu.incoming.enums import OPEN, IncomingStatus
from dangwu.incoming.forms import (
    AssignForm,
    CirculateForm,
    CompleteForm,
    FileForm,
    FilterForm,
    InstructForm,
    ProposeForm,
    ReadForm,
    RegisterForm,
)
from dangwu.incoming.models import IncomingDocument

PER_PAGE = 30


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """收文登记簿: the documents the person may see, with state, urgency and unread readers."""
    user = request.user
    if not selectors.may_list(user):
        raise NotFound(_("This page does not exist, or you may not see it."))
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    documents = selectors.documents_listed(
        user,
        status=values.get("status", ""),
        urgency=values.get("urgency", ""),
        words=(values.get("q") or "").strip(),
    )
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "incoming/list.html",
        {"page": page, "filters": filters, "may_register": access.can(user, perms.REGISTER)},
    )


@login_required
def document_register(request: HttpRequest) -> HttpResponse:
    """登记: the clerk records a received document with its scan."""
    access.require(request.user, perms.REGISTER)
    organization = selectors.registering_organization(request.user)
    if request.method != "POST":
        return render(request, "incoming/register.html", {"form": RegisterForm()})
    form = RegisterForm(request.POST, request.FILES)
    if form.is_valid() and organization is not None:
        try:
            document = services.incoming_register(
                actor=request.user, organization=organization, **form.service_values()
            )
        except (Forbidden, NotFound):
            raise
        except ValidationFailed as error:
            apply_problems(form, error, "title")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The document is registered."))
            return redirect("incoming:detail", pk=document.pk)
    return render(request, "incoming/register.html", {"form": form}, status=400)


def _detail_context(request: HttpRequest, document: IncomingDocument, **forms: Any) -> dict:
    user = request.user
    selectors.document_with_trail(document)
    circulations = list(document.circulations.all())
    mine = next((c for c in circulations if c.reader_id == user.pk), None)
    may_route = access.can(user, perms.REGISTER, document)
    status = document.status
    is_open = status in OPEN
    return {
        "document": document,
        "files": list(document.files.all()),
        "assignments": list(document.assignments.all()),
        "circulations": circulations,
        "unread": [c for c in circulations if c.read_at is None],
        "trail": list(document.trail.all()),
        "may_add_file": may_route and is_open,
        "may_propose": may_route and status in (IncomingStatus.REGISTERED, IncomingStatus.PROPOSED),
        "may_instruct": status == IncomingStatus.PROPOSED
        and access.can(user, perms.INSTRUCT, document),
        "may_assign": may_route and status in (IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING),
        "may_circulate": may_route and is_open and status != IncomingStatus.REGISTERED,
        "may_read": mine is not None and mine.read_at is None,
        "may_complete": status in (IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING)
        and access.can(user, perms.COMPLETE, document),
        "file_form": forms.get("file_form") or FileForm(),
        "propose_form": forms.get("propose_form")
        or ProposeForm(
            document=document,
            initial={"proposal": document.proposal, "leader": document.instruction_leader_id},
        ),
        "instruct_form": forms.get("instruct_form") or InstructForm(),
        "assign_form": forms.get("assign_form") or AssignForm(document=document),
        "circulate_form": forms.get("circulate_form") or CirculateForm(document=document),
        "read_form": forms.get("read_form") or ReadForm(),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "archive": _archive_link(user, document),
    }


def _archive_link(user: Any, document: IncomingDocument) -> dict[str, Any] | None:
    """The archive's word on a completed document: its archived item, or may it be archived."""
    if document.status != IncomingStatus.COMPLETED:
        return None
    from dangwu.archive import selectors as archive

    return archive.source_state(user, services.SEARCH_KIND, document.pk)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document: its data, files, where it is, who has not read it, and the whole trail."""
    document = selectors.document_access(user=request.user, pk=pk)
    return render(request, "incoming/detail.html", _detail_context(request, document))


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: Any,
    done: str,
    action: Callable[[IncomingDocument, Any], Any],
    *,
    with_document: bool = False,
    files: bool = False,
) -> HttpResponse:
    """Check the form, run ``action``; on a problem show the page with it, else go back."""
    document = selectors.document_access(user=request.user, pk=pk)
    args = (request.POST, request.FILES) if files else (request.POST,)
    form = form_class(*args, document=document) if with_document else form_class(*args)
    if form.is_valid():
        try:
            action(document, form)
        except (Forbidden, NotFound):
            raise
        except ValidationFailed as error:
            apply_problems(form, error, next(iter(form.fields)))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("incoming:detail", pk=document.pk)
        else:
            messages.success(request, done)
            return redirect("incoming:detail", pk=document.pk)
    document.refresh_from_db()
    context = _detail_context(request, document, **{name: form})
    return render(request, "incoming/detail.html", context, status=400)


@login_required
@require_POST
def document_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "file_form",
        FileForm,
        _("The file is added."),
        lambda d, f: services.incoming_file_add(
            actor=request.user, document=d, upload=f.cleaned_data["file"]
        ),
        files=True,
    )


@login_required
@require_POST
def document_propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "propose_form",
        ProposeForm,
        _("The proposal is saved and the leader is asked to instruct."),
        lambda d, f: services.incoming_propose(actor=request.user, document=d, **f.cleaned_data),
        with_document=True,
    )


@login_required
@require_POST
def document_instruct(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "instruct_form",
        InstructForm,
        _("Your instruction is recorded."),
        lambda d, f: services.incoming_instruct(actor=request.user, document=d, **f.cleaned_data),
    )


@login_required
@require_POST
def document_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "assign_form",
        AssignForm,
        _("The document is assigned."),
        lambda d, f: services.incoming_assign(actor=request.user, document=d, **f.service_values()),
        with_document=True,
    )


@login_required
@require_POST
def document_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "circulate_form",
        CirculateForm,
        _("The document is sent round for reading."),
        lambda d, f: services.incoming_circulate(
            actor=request.user, document=d, readers=list(f.cleaned_data["readers"])
        ),
        with_document=True,
    )


@login_required
@require_POST
def document_read(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "read_form",
        ReadForm,
        _("You have marked the document read."),
        lambda d, f: services.incoming_mark_read(actor=request.user, document=d, **f.cleaned_data),
    )


@login_required
@require_POST
def document_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "complete_form",
        CompleteForm,
        _("The document is completed."),
        lambda d, f: services.incoming_complete(actor=request.user, document=d, **f.cleaned_data),
    )


@login_required
@require_safe
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a file of a document the person may see, under its original name."""
    stored = selectors.file_access(user=request.user, pk=pk)
    return file_response(stored.file, content_type=stored.content_type, name=stored.original_name)
