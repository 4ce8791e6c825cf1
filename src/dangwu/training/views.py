"""The training pages: typing practice and history, my plans, and the planners' plan pages.

Views fetch through the selectors (which answer "not yours" like "missing") and change things
only through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, NotFound
from dangwu.core.forms import show_refusal
from dangwu.training import exports, selectors, services
from dangwu.training import permissions as perms
from dangwu.training.enums import PlanStatus, TypingLevel
from dangwu.training.forms import PeopleFilterForm, PlanForm, TypingForm
from dangwu.training.models import TypingSession

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Where a course or an exam is studied or taken (the school and exams apps' pages).
ITEM_URLS = {"course": "school:course", "exam": "exams:detail"}


def item_url(kind: str, object_id: int) -> str:
    """Return the page of a plan's course or exam, or "" while that page does not exist."""
    try:
        return reverse(ITEM_URLS[kind], args=[object_id])
    except NoReverseMatch:
        return ""


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


# ---------------------------------------------------------------------------------- typing


@login_required
def typing_home(request: HttpRequest) -> HttpResponse:
    """汉字输入练习: choose a passage; the summary of one's own results."""
    access.require(request.user, perms.STUDY)
    texts = list(selectors.typing_texts().defer("body"))
    levels = [
        (label, [t for t in texts if t.level == value]) for value, label in TypingLevel.choices
    ]
    return render(
        request,
        "training/typing_home.html",
        {
            "levels": [(label, group) for label, group in levels if group],
            "summary": selectors.typing_summary(request.user),
        },
    )


@login_required
def typing_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    """One exercise: the passage, a large box to type in; the server scores what comes back."""
    access.require(request.user, perms.STUDY)
    text = selectors.typing_text_access(pk=pk)
    if request.method == "POST":
        form = TypingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.typing_result_record(
                    actor=request.user,
                    token=data["token"],
                    typed=data["typed"],
                    seconds=data["seconds"],
                )
            except DomainError as error:
                show_refusal(form, error, "typed")
            else:
                return redirect("training:typing_result", pk=session.pk)
        # A fresh start for the next try: a refused token is not offered again.
        data = request.POST.copy()
        data["token"] = services.typing_token_issue(actor=request.user, text=text)
        data["seconds"] = ""
        form.data = data
        status = 400
    else:
        token = services.typing_token_issue(actor=request.user, text=text)
        form = TypingForm(initial={"token": token})
        status = 200
    return render(
        request,
        "training/typing_exercise.html",
        {"text": text, "form": form, "max_cpm": services.MAX_CHARS_PER_MINUTE},
        status=status,
    )


def _own_session(request: HttpRequest, pk: int) -> TypingSession:
    session = selectors.typing_history(request.user).filter(pk=pk).first()
    if session is None:
        raise NotFound(_("This result does not exist, or it is not yours."))
    return session


@login_required
def typing_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures of one finished exercise (the person's own)."""
    access.require(request.user, perms.STUDY)
    session = _own_session(request, pk)
    return render(request, "training/typing_result.html", {"session": session})


@login_required
def typing_history(request: HttpRequest) -> HttpResponse:
    """我的练习记录: the progress chart with its numbers beside it, and every result."""
    access.require(request.user, perms.STUDY)
    progress = selectors.typing_progress(request.user)
    chart = {
        "dates": [timezone.localtime(s.created_at).strftime("%m-%d %H:%M") for s in progress],
        "speed": [float(s.chars_per_minute) for s in progress],
        "accuracy": [float(s.accuracy) for s in progress],
        "speed_label": _("Characters per minute"),
        "accuracy_label": _("Accuracy (%)"),
    }
    page = Paginator(selectors.typing_history(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/typing_history.html",
        {
            "page": page,
            "chart": chart,
            "progress": progress,
            "summary": selectors.typing_summary(request.user),
        },
    )


@login_required
def typing_export(request: HttpRequest) -> HttpResponse:
    """The person's typing results as an Excel file."""
    access.require(request.user, perms.STUDY)
    return _xlsx(exports.typing_workbook(request.user), "汉字输入练习记录.xlsx")


# ---------------------------------------------------------------------------------- my plans


@login_required
def my_plans(request: HttpRequest) -> HttpResponse:
    """我的培训: the plans the person owes, each item with whether it is done."""
    access.require(request.user, perms.STUDY)
    plans = [
        (plan, [(o, item_url(o.kind, o.object_id)) for o in obligations])
        for plan, obligations in selectors.plans_owed(request.user)
    ]
    return render(
        request,
        "training/my_plans.html",
        {
            "plans": plans,
            "may_follow": access.can(request.user, perms.PLAN_VIEW),
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------------------------- planning


def _may_follow(user: Any) -> bool:
    return access.can(user, perms.PLAN_VIEW) or access.can(user, perms.PLAN_MANAGE)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """培训计划: the plans the person plans or follows, newest first."""
    if not _may_follow(request.user):
        access.require(request.user, perms.PLAN_VIEW)
    plans = selectors.plans_visible(request.user).order_by("-starts_on", "-id")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    page = Paginator(plans, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/plan_list.html",
        {
            "page": page,
            "status": status,
            "statuses": PlanStatus.choices,
            "may_plan": access.can(request.user, perms.PLAN_MANAGE),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """Make a training plan; it is saved as a draft."""
    access.require(request.user, perms.PLAN_MANAGE)
    if request.method != "POST":
        form = PlanForm(user=request.user)
        return render(request, "training/plan_form.html", {"form": form})
    form = PlanForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.service_values())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The plan is saved as a draft."))
            return redirect("training:plan_detail", pk=plan.pk)
    return render(request, "training/plan_form.html", {"form": form}, status=400)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or a plan in progress."""
    plan = selectors.plan_access(user=request.user, pk=pk)
    access.require(request.user, perms.PLAN_MANAGE, plan)
    if plan.status == PlanStatus.CLOSED:
        messages.error(request, _("This plan is closed and can no longer be changed."))
        return redirect("training:plan_detail", pk=plan.pk)
    context: dict[str, Any] = {"plan": plan}
    if request.method != "POST":
        form = PlanForm(initial=PlanForm.initial_for(plan), user=request.user)
        return render(request, "training/plan_form.html", {**context, "form": form})
    form = PlanForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.service_values())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("training:plan_detail", pk=plan.pk)
    return render(request, "training/plan_form.html", {**context, "form": form}, status=400)


def _page_of(items: list[Any], request: HttpRequest, name: str) -> Any:
    return Paginator(items, PER_PAGE).get_page(request.GET.get(name))


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with its completion in the viewer's subtree: per item, organization and person."""
    plan = selectors.plan_access(user=request.user, pk=pk)
    completion = selectors.plan_completion(plan, user=request.user)
    filters = PeopleFilterForm(request.GET)
    show = filters.cleaned_data.get("show", "") if filters.is_valid() else ""
    people = completion.people
    if show == "incomplete":
        people = [p for p in people if not p.complete]
    elif show == "complete":
        people = [p for p in people if p.complete]
    manage = access.can(request.user, perms.PLAN_MANAGE, plan)
    return render(
        request,
        "training/plan_detail.html",
        {
            "plan": plan,
            "completion": completion,
            "items": [(row, row.percent(completion.assigned)) for row in completion.items],
            "targets": selectors.plan_targets(plan),
            "organizations": _page_of(completion.organizations, request, "opage"),
            "people": _page_of(people, request, "page"),
            "filters": filters,
            "show": show,
            "may_edit": manage and plan.status != PlanStatus.CLOSED,
            "may_publish": manage and plan.status == PlanStatus.DRAFT,
            "may_close": manage and plan.status == PlanStatus.ACTIVE,
            "overdue": plan.status == PlanStatus.ACTIVE and plan.due_on < timezone.localdate(),
        },
    )


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion the viewer sees, as an Excel file (organizations and people)."""
    plan = selectors.plan_access(user=request.user, pk=pk)
    completion = selectors.plan_completion(plan, user=request.user)
    return _xlsx(exports.completion_workbook(completion), f"{plan.title}-完成情况.xlsx")


def _plan_act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    """Run ``action(actor=..., plan=...)`` for a button on the plan's page."""
    plan = selectors.plan_access(user=request.user, pk=pk)
    return act_on_page(
        request,
        action=lambda: action(actor=request.user, plan=plan),
        done=done,
        back=reverse("training:plan_detail", args=[plan.pk]),
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft plan: its people owe its items from now on."""
    return _plan_act(request, pk, services.plan_publish, _("The plan has started."))


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a plan in progress."""
    return _plan_act(request, pk, services.plan_close, _("The plan is closed."))
