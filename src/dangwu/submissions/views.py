"""The submissions pages: 我的投稿 and writing, an item's page with its history and the next
steps, the editors' inbox, the ranking with its Excel export, calls for submissions and an
organization's settings (with its public intake code).

Views fetch through the selectors (which answer "not yours" like "missing") and change things
only through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, NotFound
from dangwu.core.files import file_response
from dangwu.core.forms import show_refusal
from dangwu.orgs.models import Organization
from dangwu.submissions import exports, selectors, services
from dangwu.submissions import permissions as perms
from dangwu.submissions.enums import EDITABLE, FileRole, SubmissionStatus
from dangwu.submissions.forms import (
    AdoptForm,
    CallForm,
    CommentForm,
    DeclineForm,
    FileForm,
    InboxFilterForm,
    PeriodForm,
    PointsForm,
    SettingsForm,
    SubmissionForm,
)
from dangwu.submissions.models import Call, Submission, SubmissionFile

PER_PAGE = 30


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的投稿: what I wrote and its state; my organizations' items; what waits for me."""
    access.require(request.user, perms.SUBMISSION_MINE)
    user = request.user
    page = Paginator(selectors.my_submissions(user), PER_PAGE).get_page(request.GET.get("page"))
    colleagues = (
        selectors.organization_submissions(user)
        .exclude(submitter_id=user.pk)
        .exclude(status=SubmissionStatus.DRAFT)[:20]
    )
    return render(
        request,
        "submissions/mine.html",
        {
            "page": page,
            "colleagues": list(colleagues),
            "approvals": list(selectors.awaiting_approval(user)[:50]),
            "calls": selectors.calls_open_for(user),
            "may_write": _may_write(user),
            "settings_orgs": list(
                access.visible(user, perms.SUBMISSION_SETTINGS, Organization.objects.all())
                .filter(depth__lte=_top_depth(user, perms.SUBMISSION_SETTINGS) + 1)
                .order_by("path")[:50]
            ),
        },
    )


def _top_depth(user: Any, rule: str) -> int:
    roots = access.scope_paths(user, rule)
    return min((p.count("/") - 2 for p in roots), default=-2)


def _may_write(user: Any) -> bool:
    from dangwu.submissions.forms import writable_organizations

    return writable_organizations(user).exists()


def _open_calls(request: HttpRequest) -> list[Call]:
    return selectors.calls_open_for(request.user)


@login_required
def submission_create(request: HttpRequest) -> HttpResponse:
    """Write a new item (or upload a Word file); it is kept as a draft."""
    access.require(request.user, perms.SUBMISSION_MINE)
    calls = _open_calls(request)
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if (call := request.GET.get("call", "")).isdigit():
            initial["call"] = int(call)
        form = SubmissionForm(user=request.user, calls=calls, initial=initial)
        if not form.fields["organization"].queryset.exists():  # type: ignore[attr-defined]
            raise NotFound(_("This item does not exist, or you may not see it."))
        return render(request, "submissions/form.html", {"form": form})
    form = SubmissionForm(request.POST, request.FILES, user=request.user, calls=calls)
    if form.is_valid():
        try:
            submission = services.submission_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                **form.service_values(),
            )
        except DomainError as error:
            show_refusal(form, error, "body")
        else:
            messages.success(request, _("The draft is saved. Check it, then send it."))
            return redirect("submissions:detail", pk=submission.pk)
    return render(request, "submissions/form.html", {"form": form}, status=400)


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or a returned item."""
    submission = selectors.submission_access(user=request.user, pk=pk)
    access.require(request.user, perms.SUBMISSION_WRITE, submission.organization)
    if submission.status not in EDITABLE:
        messages.error(request, _("This item can no longer be changed."))
        return redirect("submissions:detail", pk=submission.pk)
    context: dict[str, Any] = {"submission": submission}
    if request.method != "POST":
        form = SubmissionForm(
            user=request.user,
            initial={
                "title": submission.title,
                "kind": submission.kind,
                "body": submission.body,
                "suggested_column": submission.suggested_column_id,
                "contact_name": submission.contact_name,
                "contact_phone": submission.contact_phone,
            },
        )
        del form.fields["organization"]
        return render(request, "submissions/form.html", {**context, "form": form})
    form = SubmissionForm(request.POST, request.FILES, user=request.user)
    del form.fields["organization"]
    if form.is_valid():
        values = form.service_values()
        values.pop("call", None)
        try:
            services.submission_update(actor=request.user, submission=submission, **values)
        except DomainError as error:
            show_refusal(form, error, "body")
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("submissions:detail", pk=submission.pk)
    return render(request, "submissions/form.html", {**context, "form": form}, status=400)


def _detail_context(request: HttpRequest, submission: Submission, **forms: Any) -> dict[str, Any]:
    user = request.user
    status = submission.status
    org = submission.organization
    may_review = access.can(user, perms.SUBMISSION_REVIEW, submission)
    return {
        "submission": submission,
        "events": list(submission.events.all()),
        "files": [f for f in submission.files.all() if f.role != FileRole.INLINE],
        "may_edit": status in EDITABLE and access.can(user, perms.SUBMISSION_WRITE, org),
        "may_approve": status == SubmissionStatus.AWAITING_APPROVAL
        and access.can(user, perms.SUBMISSION_APPROVE, org),
        "may_decide": status == SubmissionStatus.SUBMITTED and may_review,
        "may_forward": status == SubmissionStatus.ADOPTED
        and may_review
        and not submission.forwarded,
        "may_review": may_review,
        "revealed": forms.get("revealed", ""),
        "file_form": forms.get("file_form") or FileForm(),
        "adopt_form": forms.get("adopt_form")
        or AdoptForm(user=user, initial={"column": submission.suggested_column_id}),
        "return_form": forms.get("return_form") or CommentForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "send_back_form": forms.get("send_back_form") or CommentForm(prefix="org"),
    }


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item with its state, text, files, history and the next steps."""
    submission = selectors.submission_access(user=request.user, pk=pk)
    return render(request, "submissions/detail.html", _detail_context(request, submission))


def _act(request: HttpRequest, submission: Submission, done: str, action: Any, **forms: Any) -> Any:
    return act_on_page(
        request,
        action=action,
        done=done,
        back=reverse("submissions:detail", args=[submission.pk]),
        page=lambda **shown: render(
            request,
            "submissions/detail.html",
            _detail_context(request, submission, **shown),
            status=400,
        ),
        **forms,
    )


@login_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    done = _("The item is sent.")
    return _act(
        request,
        submission,
        done,
        lambda: services.submission_submit(actor=request.user, submission=submission),
    )


@login_required
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    return _act(
        request,
        submission,
        _("The item is approved and sent to the committee."),
        lambda: services.submission_approve(actor=request.user, submission=submission),
    )


@login_required
@require_POST
def submission_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    form = CommentForm(request.POST, prefix="org")
    form.is_valid()
    return _act(
        request,
        submission,
        _("The item is returned to its writer with your comment."),
        lambda: services.submission_send_back(
            actor=request.user, submission=submission, comment=form.data.get("org-comment", "")
        ),
        send_back_form=form,
    )


@login_required
@require_POST
def submission_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    access.require(request.user, perms.SUBMISSION_REVIEW, submission)
    form = AdoptForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request,
            "submissions/detail.html",
            _detail_context(request, submission, adopt_form=form),
            status=400,
        )
    return _act(
        request,
        submission,
        _("The item is adopted."),
        lambda: services.submission_adopt(
            actor=request.user,
            submission=submission,
            column=form.cleaned_data["column"],
            publish=form.cleaned_data["publish"],
        ),
        adopt_form=form,
    )


@login_required
@require_POST
def submission_return(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    form.is_valid()
    return _act(
        request,
        submission,
        _("The item is returned to its writer with your comment."),
        lambda: services.submission_return(
            actor=request.user, submission=submission, comment=form.data.get("comment", "")
        ),
        return_form=form,
    )


@login_required
@require_POST
def submission_decline(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    form = DeclineForm(request.POST)
    form.is_valid()
    return _act(
        request,
        submission,
        _("The item is declined; its writer is told why."),
        lambda: services.submission_decline(
            actor=request.user, submission=submission, reason=form.data.get("reason", "")
        ),
        decline_form=form,
    )


@login_required
@require_POST
def submission_forward(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    return _act(
        request,
        submission,
        _("The item is marked as forwarded upward."),
        lambda: services.submission_forward(actor=request.user, submission=submission),
    )


@login_required
@require_POST
def contact_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full contact phone on the item's page (audited)."""
    submission = selectors.submission_access(user=request.user, pk=pk)
    phone = services.contact_reveal(actor=request.user, submission=submission)
    return render(
        request, "submissions/detail.html", _detail_context(request, submission, revealed=phone)
    )


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_file_add(
                actor=request.user,
                submission=submission,
                upload=form.cleaned_data["file"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            show_refusal(form, error, "file")
        else:
            messages.success(request, _("The file is added."))
            return redirect("submissions:detail", pk=submission.pk)
    return render(
        request,
        "submissions/detail.html",
        _detail_context(request, submission, file_form=form),
        status=400,
    )


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    submission = selectors.submission_access(user=request.user, pk=pk)
    stored = submission.files.filter(pk=file_pk).first()
    if stored is None:
        raise NotFound(_("This item does not exist, or you may not see it."))
    return _act(
        request,
        submission,
        _("The file is removed."),
        lambda: services.submission_file_remove(actor=request.user, file=stored),
    )


@login_required
def file_download(request: HttpRequest, key: Any) -> FileResponse:
    """A photo, attachment or picture of an item, for those who may see the item."""
    stored = (
        SubmissionFile.objects.select_related("submission__organization").filter(uuid=key).first()
    )
    if stored is None or not selectors.may_see(request.user, stored.submission):
        raise NotFound(_("This item does not exist, or you may not see it."))
    return file_response(stored.file, content_type=stored.content_type, name=stored.original_name)


# ------------------------------------------------------------------------------ the editors


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The editors' inbox: what the organizations sent, filtered, newest first."""
    access.require(request.user, perms.SUBMISSION_REVIEW)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = SubmissionStatus.SUBMITTED
    form = InboxFilterForm(data)
    values = form.cleaned_data if form.is_valid() else {}
    filters = selectors.InboxFilter(
        organization=values.get("organization"),
        kind=values.get("kind") or "",
        status=values.get("status") or "",
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )
    items = selectors.inbox(request.user, filters)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "submissions/inbox.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if form.is_valid() else 400,
    )


def _ranking(request: HttpRequest) -> tuple[PeriodForm, selectors.Ranking]:
    access.require(request.user, perms.SUBMISSION_RANKING)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    return form, selectors.ranking(request.user, date_from=start, date_to=end)


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Items sent, adopted and points per organization in a period; the silent ones listed."""
    form, result = _ranking(request)
    return render(
        request,
        "submissions/ranking.html",
        {
            "form": form,
            "ranking": result,
            "query": request.GET.urlencode(),
            "points_form": PointsForm(initial=services.points_table())
            if access.can(request.user, perms.SUBMISSION_REVIEW)
            else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def points_set(request: HttpRequest) -> HttpResponse:
    """The editors change the scoring table (from now on)."""
    access.require(request.user, perms.SUBMISSION_REVIEW)
    form = PointsForm(request.POST)
    if form.is_valid():
        for placement, points in form.cleaned_data.items():
            services.score_rule_set(actor=request.user, placement=placement, points=points)
        messages.success(request, _("The scoring table is saved."))
    else:
        messages.error(request, _("Points must be whole numbers between 0 and 100."))
    return redirect("submissions:ranking")


@login_required
def ranking_export(request: HttpRequest) -> HttpResponse:
    _form, result = _ranking(request)
    response = HttpResponse(
        exports.ranking_workbook(result),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"信息报送排名-{result.date_from:%Y%m%d}-{result.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@login_required
def calls(request: HttpRequest) -> HttpResponse:
    """Calls for submissions (约稿): the list, and a form to issue one."""
    access.require(request.user, perms.SUBMISSION_REVIEW)
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
            try:
                call = services.call_create(
                    actor=request.user,
                    organization=root,  # type: ignore[arg-type]
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    due_on=form.cleaned_data["due_on"],
                    all_organizations=form.cleaned_data["all_organizations"],
                    organizations=list(form.cleaned_data["organizations"]),
                )
            except DomainError as error:
                show_refusal(form, error, "title")
            else:
                messages.success(request, _("The call is sent to the organizations."))
                return redirect("submissions:call", pk=call.pk)
        status = 400
    listed = selectors.calls_with_counts(request.user).order_by("-due_on", "-id")[:100]
    return render(
        request, "submissions/calls.html", {"form": form, "calls": list(listed)}, status=status
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: who answered and who did not, and the items sent for it."""
    access.require(request.user, perms.SUBMISSION_REVIEW)
    call = selectors.calls_visible(request.user).filter(pk=pk).first()
    if call is None:
        raise NotFound(_("This item does not exist, or you may not see it."))
    answers = selectors.call_answers(call)
    items = selectors.inbox(request.user, selectors.InboxFilter(call=call))[:200]
    return render(
        request,
        "submissions/call.html",
        {
            "call": call,
            "answers": answers,
            "silent": sum(1 for a in answers if not a.answered),
            "items": list(items),
        },
    )


@login_required
def org_settings(request: HttpRequest, org_pk: int) -> HttpResponse:
    """An organization's rules for its items, and its code for the public intake form."""
    organization = Organization.objects.filter(pk=org_pk).first()
    if organization is None or not access.can(
        request.user, perms.SUBMISSION_SETTINGS, organization
    ):
        raise NotFound(_("This item does not exist, or you may not see it."))
    rules = services.settings_of(organization)
    code = ""
    form = SettingsForm(
        initial={
            "requires_approval": rules.requires_approval,
            "members_may_submit": rules.members_may_submit,
        }
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "code":
            code = services.intake_code_issue(actor=request.user, organization=organization)
            rules = services.settings_of(organization)
        elif action == "revoke":
            services.intake_code_revoke(actor=request.user, organization=organization)
            messages.success(request, _("The intake code is withdrawn."))
            return redirect("submissions:settings", org_pk=organization.pk)
        else:
            form = SettingsForm(request.POST)
            if form.is_valid():
                services.settings_change(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
                messages.success(request, _("The settings are saved."))
                return redirect("submissions:settings", org_pk=organization.pk)
    return render(
        request,
        "submissions/settings.html",
        {"organization": organization, "form": form, "rules": rules, "code": code},
    )
