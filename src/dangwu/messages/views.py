"""Mail pages (inbox, sent, write, read, reply, forward) and the notification centre.

Every page shows only the signed-in person's own mail and notifications; everything changes
through ``dangwu.messages.services``.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from dangwu import access
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.core.files import file_response
from dangwu.core.forms import apply_problems
from dangwu.messages import permissions as perms
from dangwu.messages import selectors, services
from dangwu.messages.forms import ComposeForm, ForwardForm, PreferenceForm, ReplyForm

PER_PAGE = 30
READERS_PER_PAGE = 100


def _require_mailbox(request: HttpRequest) -> None:
    # The three administrators (三员) have no mailbox.
    access.require(request.user, perms.MAILBOX)


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """What I received, newest first; unread ones marked."""
    _require_mailbox(request)
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mail/inbox.html", {"page": page})


@login_required
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """What I sent, newest first, with how many recipients have read each."""
    _require_mailbox(request)
    page = Paginator(selectors.sent(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mail/sent.html", {"page": page})


def _files(request: HttpRequest) -> list[Any]:
    return request.FILES.getlist("attachments")


@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """Write to people, organizations or role holders, with attachments."""
    _require_mailbox(request)
    user = request.user
    form = ComposeForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(
                actor=user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                uploads=_files(request),
                **form.addressees(),
            )
        except ValidationFailed as error:
            apply_problems(form, error, "subject")
        else:
            messages.success(
                request,
                ngettext(
                    "Your message is sent to %(n)d person.",
                    "Your message is sent to %(n)d people.",
                    message.recipient_count,
                )
                % {"n": message.recipient_count},
            )
            return redirect("mail:message", message.pk)
    status = 400 if form.errors else 200
    return render(request, "mail/compose.html", {"form": form}, status=status)


@login_required
@require_safe
def message_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One message; opening it records that I read it. Its sender sees who read it, and when."""
    view = selectors.message_access(user=request.user, pk=pk)
    if view.delivery is not None and view.delivery.read_at is None:
        services.message_mark_read(actor=request.user, message=view.message)
    context: dict[str, Any] = {"view": view, "message": view.message}
    if view.is_sender:
        readers = selectors.read_status(view.message)
        context["readers"] = Paginator(readers, READERS_PER_PAGE).get_page(request.GET.get("page"))
        context["read_count"] = readers.filter(read_at__isnull=False).count()
    return render(request, "mail/message.html", context)


@login_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the sender of a message I received."""
    view = selectors.message_access(user=request.user, pk=pk)
    if view.delivery is None:
        raise NotFound(_("This message does not exist, or you may not see it."))
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.message_reply(
                actor=request.user,
                message=view.message,
                body=form.cleaned_data["body"],
                uploads=_files(request),
            )
        except ValidationFailed as error:
            apply_problems(form, error, "body")
        else:
            messages.success(request, _("Your reply is sent."))
            return redirect("mail:message", answer.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "message": view.message}
    return render(request, "mail/reply.html", context, status=status)


@login_required
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass a message I sent or received on to others, with its attachments."""
    view = selectors.message_access(user=request.user, pk=pk)
    form = ForwardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            forwarded = services.message_forward(
                actor=request.user,
                message=view.message,
                note=form.cleaned_data["body"],
                **form.addressees(),
            )
        except ValidationFailed as error:
            apply_problems(form, error, "people")
        else:
            messages.success(
                request,
                ngettext(
                    "The message is forwarded to %(n)d person.",
                    "The message is forwarded to %(n)d people.",
                    forwarded.recipient_count,
                )
                % {"n": forwarded.recipient_count},
            )
            return redirect("mail:message", forwarded.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "message": view.message}
    return render(request, "mail/forward.html", context, status=status)


@login_required
@require_safe
def file_download(request: HttpRequest, key: uuid.UUID) -> FileResponse:
    """An attachment of a message I sent or received, under its original name."""
    found = selectors.file_access(user=request.user, key=key)
    return file_response(found.file, content_type=found.content_type, name=found.original_name)


# ----------------------------------------------------------------------------- notifications


@login_required
@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """The notification centre: unread first; how they come by e-mail."""
    user = request.user
    page = Paginator(selectors.notifications(user), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": selectors.unread_notifications(user).count(),
        "preference_form": PreferenceForm(initial={"delivery": selectors.delivery_of(user)}),
    }
    return render(request, "mail/notifications.html", context)


@login_required
@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go where it points (like opening a mail marks it read)."""
    notification = selectors.notification_access(user=request.user, pk=pk)
    services.notification_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("mail:notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_access(user=request.user, pk=pk)
    services.notification_read(actor=request.user, notification=notification)
    messages.success(request, _("Marked as read."))
    return redirect("mail:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(actor=request.user)
    done = ngettext(
        "%(n)d notification marked as read.", "%(n)d notifications marked as read.", count
    )
    messages.success(request, done % {"n": count})
    return redirect("mail:notifications")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_set(actor=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, _("Your choice is saved."))
    else:
        messages.error(request, _("Choose how notifications come by e-mail."))
    return redirect("mail:notifications")
