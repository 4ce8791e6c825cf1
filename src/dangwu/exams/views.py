"""The exams pages: taking exams (list, paper with autosave, result, certificate), setting
them, the question bank with its Excel import and export, and the statistics.

Views fetch through the selectors (which answer "not yours" like "missing") and change things
only through the services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.actions import act_on_page
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.forms import show_refusal
from dangwu.exams import certificates, selectors, services, workbooks
from dangwu.exams import permissions as perms
from dangwu.exams.enums import AttemptStatus, ExamStatus, PaperMode, QuestionKind
from dangwu.exams.forms import (
    OPEN_FIELDS,
    ExamForm,
    ImportForm,
    QuestionFilterForm,
    QuestionForm,
)
from dangwu.exams.models import Attempt, Exam
from dangwu.orgs.imports.tables import ImportRejected
from dangwu.orgs.models import Organization
from dangwu.school import permissions as school_perms
from dangwu.school.models import Course

PER_PAGE = 30
PROBLEMS_SHOWN = 200


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


# ---------------------------------------------------------------------------------- taking


@login_required
def exam_list(request: HttpRequest) -> HttpResponse:
    """在线考试: the exams open to me, with where I stand in each."""
    access.require(request.user, perms.EXAM_TAKE)
    exams = list(selectors.exams_open_to(request.user)[:200])
    rows = selectors.standings(user=request.user, exams=exams)
    now = timezone.now()
    return render(
        request,
        "exams/list.html",
        {
            "open_rows": [r for r in rows if not selectors.exam_is_over(r.exam, now)],
            "over_rows": [r for r in rows if selectors.exam_is_over(r.exam, now)],
            "may_manage": access.can(request.user, perms.EXAM_MANAGE),
            "may_keep_bank": access.can(request.user, perms.BANK_MANAGE),
        },
    )


@login_required
def exam_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One exam: what it is, my attempts, and the button to start or continue."""
    access.require(request.user, perms.EXAM_TAKE)
    exam = selectors.exam_for_taking(user=request.user, pk=pk)
    services.attempts_close_expired(exam=exam, user=request.user)
    attempts = selectors.my_attempts(user=request.user, exam=exam)
    standing = selectors.standings(user=request.user, exams=[exam])[0]
    now = timezone.now()
    opened = not exam.opens_at or exam.opens_at <= now
    over = selectors.exam_is_over(exam, now)
    return render(
        request,
        "exams/detail.html",
        {
            "exam": exam,
            "attempts": attempts,
            "standing": standing,
            "in_progress": next(
                (a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None
            ),
            "may_start": opened and not over and not standing.passed and standing.left > 0,
            "not_yet_open": not opened,
            "over": over,
            "question_count": _question_count(exam),
        },
    )


def _question_count(exam: Exam) -> int:
    if exam.mode == PaperMode.RULES:
        return sum(r.count for r in exam.rules.all())
    return exam.paper.count()


@login_required
@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    exam = selectors.exam_for_taking(user=request.user, pk=pk)
    try:
        attempt = services.attempt_start(actor=request.user, exam=exam)
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("exams:detail", pk=exam.pk)
    return redirect("exams:attempt", pk=attempt.pk)


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    attempt = selectors.attempt_access(user=request.user, pk=pk)
    if attempt.user_id != request.user.pk:
        raise NotFound(_("This exam attempt does not exist, or it is not yours."))
    return attempt


def _responses(request: HttpRequest, attempt: Attempt) -> dict[int, str]:
    """Read the paper's inputs ("q<id>", several values for multiple choice)."""
    responses: dict[int, str] = {}
    for question_id in attempt.question_ids:
        values = request.POST.getlist(f"q{question_id}")
        if values:
            responses[question_id] = "".join(values)
    return responses


@login_required
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper. Each change is saved at once by the page's script; without it, "Save"."""
    attempt = _own_attempt(request, pk)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        services.attempts_close_expired(exam=attempt.exam, user=request.user)
        attempt.refresh_from_db()
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return redirect("exams:result", pk=attempt.pk)
    status = 200
    if request.method == "POST":
        try:
            services.answers_save(
                actor=request.user, attempt=attempt, responses=_responses(request, attempt)
            )
        except (Forbidden, NotFound):
            raise
        except DomainError as error:
            messages.error(request, error.message)
            attempt.refresh_from_db()
            if attempt.status != AttemptStatus.IN_PROGRESS:
                return redirect("exams:result", pk=attempt.pk)
            status = 400
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect("exams:attempt", pk=attempt.pk)
    response = render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "items": selectors.attempt_paper(attempt),
            "seconds_left": selectors.seconds_left(attempt),
            "minutes_left": -(-selectors.seconds_left(attempt) // 60),
            "kinds": QuestionKind,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def answer_save(request: HttpRequest, pk: int) -> JsonResponse:
    """Save one answer for the page's script; answers JSON (4xx with the reason in Chinese).

    ``finished`` tells the script that the attempt is graded (time ran out, or handed in
    elsewhere), so it sends the person to the result.
    """
    try:
        attempt = _own_attempt(request, pk)
    except NotFound as error:
        return JsonResponse({"detail": error.message, "finished": False}, status=404)
    raw = request.POST.get("question", "")
    question_id = int(raw) if raw.isdigit() and len(raw) < 19 else 0
    try:
        answer = services.answer_save(
            actor=request.user,
            attempt=attempt,
            question_id=question_id,
            response="".join(request.POST.getlist("response")),
        )
    except DomainError as error:
        attempt.refresh_from_db(fields=["status"])
        finished = attempt.status != AttemptStatus.IN_PROGRESS
        return JsonResponse(
            {"detail": error.message, "finished": finished}, status=error.status_code
        )
    saved_at = timezone.localtime(answer.saved_at)
    return JsonResponse(
        {
            "saved_at": saved_at.isoformat(),
            "message": _("Saved at %(time)s") % {"time": saved_at.strftime("%H:%M:%S")},
            "seconds_left": selectors.seconds_left(attempt),
            "finished": False,
        }
    )


@login_required
@require_POST
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand in: the answers on the page are saved first, then the paper is graded."""
    attempt = _own_attempt(request, pk)
    try:
        responses = _responses(request, attempt)
        if responses and attempt.status == AttemptStatus.IN_PROGRESS:
            services.answers_save(actor=request.user, attempt=attempt, responses=responses)
        services.attempt_submit(actor=request.user, attempt=attempt)
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.IN_PROGRESS:
            return redirect("exams:attempt", pk=attempt.pk)
    return redirect("exams:result", pk=attempt.pk)


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The score; the answers, correct answers and explanations once the exam is over."""
    attempt = selectors.attempt_access(user=request.user, pk=pk)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        services.attempts_close_expired(exam=attempt.exam, user=attempt.user)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.IN_PROGRESS and attempt.user_id == request.user.pk:
            return redirect("exams:attempt", pk=attempt.pk)
    over = selectors.exam_is_over(attempt.exam)
    certificate = getattr(attempt, "certificate", None) if attempt.passed else None
    return render(
        request,
        "exams/result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "certificate": certificate,
            "review": over,
            "items": selectors.attempt_paper(attempt) if over else [],
            "score": selectors.score_as_text(attempt.score),
            "kinds": QuestionKind,
        },
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a passed attempt (its person, or the exam's school administrator)."""
    attempt = selectors.attempt_access(user=request.user, pk=pk)
    certificate = getattr(attempt, "certificate", None) if attempt.passed else None
    if certificate is None:
        raise NotFound(_("This attempt has no certificate."))
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    name = f"合格证书-{certificate.number}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name) or ""
    return response


# ---------------------------------------------------------------------------------- setting


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    """The exams I set, newest first."""
    access.require(request.user, perms.EXAM_MANAGE)
    page = Paginator(selectors.exams_managed(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "exams/manage_list.html", {"page": page})


def _exam_form(
    request: HttpRequest, data: Any = None, *, exam: Exam | None = None, locked: bool = False
) -> ExamForm:
    """The form of a new exam or of ``exam`` (whose own questions stay choosable if retired)."""
    organizations = access.visible(
        request.user, perms.EXAM_MANAGE, Organization.objects.all(), "path"
    ).only("id", "name", "depth", "path")
    usable = Q(active=True)
    if exam is not None:
        usable |= Q(pk__in=exam.paper.values("question_id"))
    questions = (
        selectors.questions_visible(request.user)
        .select_related(None)
        .filter(usable)
        .only("id", "kind", "difficulty", "stem")
        .order_by("kind", "id")
    )
    courses = (
        access.visible(
            request.user, school_perms.MANAGE, Course.objects.all(), "organization__path"
        )
        .only("id", "title")
        .order_by("title", "id")
    )
    return ExamForm(
        data,
        organizations=organizations,
        questions=questions,
        courses=courses,
        locked=locked,
        initial=ExamForm.initial_for(exam) if exam is not None else None,
    )


@login_required
def exam_create(request: HttpRequest) -> HttpResponse:
    """Set a new exam (a draft): a fixed paper from the bank, or rules to draw from it."""
    access.require(request.user, perms.EXAM_MANAGE)
    if request.method != "POST":
        return render(request, "exams/exam_form.html", {"form": _exam_form(request)})
    form = _exam_form(request, request.POST)
    if form.is_valid():
        try:
            exam = services.exam_create(actor=request.user, **form.service_values())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The exam is saved as a draft. Check it, then publish it."))
            return redirect("exams:manage_detail", pk=exam.pk)
    return render(request, "exams/exam_form.html", {"form": form}, status=400)


@login_required
def exam_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an exam on the form that set it: a draft fully; a published exam only its title,
    description and a later closing time (the rest shown, not changeable); a closed one not."""
    exam = selectors.exam_manage_access(user=request.user, pk=pk)
    if exam.status == ExamStatus.CLOSED:
        messages.error(request, services.closed_exam_message())
        return redirect("exams:manage_detail", pk=exam.pk)
    locked = exam.status == ExamStatus.PUBLISHED
    context: dict[str, Any] = {"exam": exam, "locked": locked}
    if request.method != "POST":
        form = _exam_form(request, exam=exam, locked=locked)
        return render(request, "exams/exam_form.html", {**context, "form": form})
    form = _exam_form(request, request.POST, exam=exam, locked=locked)
    if form.is_valid():
        values = form.service_values()
        values.pop("organization")  # the setter stays; only who takes it may change
        if locked:
            # Unchanged fields are not sent: a closing time shown to the minute is no change.
            values = {k: v for k, v in values.items() if k in OPEN_FIELDS}
            if "closes_at" not in form.changed_data:
                values.pop("closes_at")
        try:
            services.exam_update(actor=request.user, exam=exam, **values)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("exams:manage_detail", pk=exam.pk)
    return render(request, "exams/exam_form.html", {**context, "form": form}, status=400)


@login_required
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An exam as its setter sees it: settings, paper or rules, publish and close."""
    exam = selectors.exam_manage_access(user=request.user, pk=pk)
    return render(
        request,
        "exams/manage_detail.html",
        {
            "exam": exam,
            "paper": list(exam.paper.select_related("question")),
            "rules": list(exam.rules.all()),
            "attempt_count": exam.attempts.count(),
            "statuses": ExamStatus,
        },
    )


def _manage_act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    """Run ``action(actor=..., exam=...)`` for a button on the exam's manage page."""
    exam = selectors.exam_manage_access(user=request.user, pk=pk)
    return act_on_page(
        request,
        action=lambda: action(actor=request.user, exam=exam),
        done=done,
        back=reverse("exams:manage_detail", args=[exam.pk]),
    )


@login_required
@require_POST
def exam_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_act(
        request, pk, services.exam_publish, _("The exam is published: its people can take it now.")
    )


@login_required
@require_POST
def exam_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_act(
        request,
        pk,
        services.exam_close,
        _("The exam is closed. People can now see the correct answers."),
    )


# ---------------------------------------------------------------------------------- bank


def _filters(request: HttpRequest) -> dict[str, Any]:
    form = QuestionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state") or "active"
    return {
        "kind": data.get("kind", ""),
        "tag": data.get("tag", ""),
        "difficulty": data.get("difficulty", ""),
        "text": data.get("text", ""),
        "active": {"active": True, "retired": False}.get(state),
    }


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    """题库: the questions of my bank, filtered by kind, tag, difficulty and words."""
    access.require(request.user, perms.BANK_MANAGE)
    questions = selectors.question_list(user=request.user, **_filters(request))
    page = Paginator(questions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exams/bank.html",
        {
            "page": page,
            "filters": QuestionFilterForm(request.GET or None),
            "tags": selectors.bank_tags(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, perms.BANK_MANAGE)
    if request.method != "POST":
        return render(request, "exams/question_form.html", {"form": QuestionForm()})
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_create(actor=request.user, **form.service_values())
        except DomainError as error:
            show_refusal(form, _option_field(error))
        else:
            messages.success(request, _("The question is added to the bank."))
            return redirect("exams:bank")
    return render(request, "exams/question_form.html", {"form": form}, status=400)


def _option_field(error: DomainError) -> DomainError:
    # The services name the options as one field; the form shows the problem at option A.
    if isinstance(error, ValidationFailed):
        error.errors = [("option_A" if f == "options" else f, m) for f, m in error.errors]
    return error


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_access(user=request.user, pk=pk)
    context: dict[str, Any] = {"question": question, "used": services.question_used(question)}
    if request.method != "POST":
        form = QuestionForm(initial=QuestionForm.initial_for(question))
        return render(request, "exams/question_form.html", {**context, "form": form})
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, **form.service_values())
        except DomainError as error:
            show_refusal(form, _option_field(error))
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("exams:bank")
    return render(request, "exams/question_form.html", {**context, "form": form}, status=400)


@login_required
@require_POST
def question_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a question (or bring it back with active=1)."""
    question = selectors.question_access(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    services.question_set_active(actor=request.user, question=question, active=active)
    messages.success(
        request,
        _("The question is in use again.") if active else _("The question is retired."),
    )
    return redirect("exams:bank")


@login_required
def bank_import(request: HttpRequest) -> HttpResponse:
    """Upload questions from Excel: every row is checked first; all are added or none."""
    access.require(request.user, perms.BANK_MANAGE)
    context: dict[str, Any] = {"notes": workbooks.column_notes()}
    if request.method != "POST":
        return render(request, "exams/import.html", {**context, "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "exams/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    try:
        context["result"] = workbooks.questions_import(
            actor=request.user, data=upload.read(), filename=upload.name
        )
    except ImportRejected as rejected:
        context["file_problems"] = [p for p in rejected.problems if p.row == 0]
        row_problems = [p for p in rejected.problems if p.row > 0]
        context["problems"] = row_problems[:PROBLEMS_SHOWN]
        context["problem_count"] = len(row_problems)
        context["bad_rows"] = len({p.row for p in row_problems})
        return render(request, "exams/import.html", context, status=400)
    context["form"] = ImportForm()
    return render(request, "exams/import.html", context)


@login_required
def bank_template(request: HttpRequest) -> HttpResponse:
    access.require(request.user, perms.BANK_MANAGE)
    return _xlsx(workbooks.template_workbook(), "题库导入模板.xlsx")


@login_required
def bank_export(request: HttpRequest) -> HttpResponse:
    """The bank (as filtered on the page) in the import's columns."""
    access.require(request.user, perms.BANK_MANAGE)
    questions = selectors.question_list(user=request.user, **_filters(request))
    data = workbooks.questions_export(actor=request.user, questions=questions.order_by("id"))
    return _xlsx(data, f"题库-{timezone.localdate():%Y%m%d}.xlsx")


# ---------------------------------------------------------------------------------- statistics


@login_required
def stats_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, perms.STATS_VIEW)
    page = Paginator(selectors.stats_exams(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "exams/stats_list.html", {"page": page})


@login_required
def exam_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass rate, score distribution, organizations and the questions most often missed."""
    access.require(request.user, perms.STATS_VIEW)
    exam = selectors.stats_exam_access(user=request.user, pk=pk)
    stats = selectors.exam_statistics(user=request.user, exam=exam)
    chart = {
        "bands": {"labels": [b for b, _n in stats.bands], "values": [n for _b, n in stats.bands]},
        "organizations": {
            "labels": [r.organization.label for r in stats.organizations if r.takers],
            "values": [r.pass_rate for r in stats.organizations if r.takers],
        },
        "names": {"people": _("Number of people"), "pass_rate": _("Pass rate (%)")},
    }
    return render(request, "exams/stats.html", {"exam": exam, "stats": stats, "chart": chart})


@login_required
def stats_export(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, perms.STATS_VIEW)
    exam = selectors.stats_exam_access(user=request.user, pk=pk)
    stats = selectors.exam_statistics(user=request.user, exam=exam)
    return _xlsx(workbooks.statistics_workbook(stats), f"{exam.title}-考试统计.xlsx")
