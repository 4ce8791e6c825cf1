"""Writes of the question bank: add, change and retire questions."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.exams import grading
from dangwu.exams import permissions as perms
from dangwu.exams.enums import Difficulty
from dangwu.exams.models import Answer, Question
from dangwu.exams.services.common import home_organization, problem, refuse, user_or_none
from dangwu.orgs.models import Organization


def _question_values(
    *,
    kind: str,
    stem: str,
    options: Sequence[str],
    answer: str,
    tags: Iterable[str] | str,
    difficulty: str,
    explanation: str,
) -> dict[str, Any]:
    values, problems = grading.check_question(
        kind=kind,
        stem=stem,
        options=list(options),
        answer=answer,
        tags=grading.split_tags(tags),
        difficulty=difficulty,
        explanation=explanation,
        difficulties=Difficulty.values,
    )
    if problems:
        raise refuse(problems)
    return values


@transaction.atomic
def question_create(
    *,
    actor: Any,
    kind: str,
    stem: str,
    options: Sequence[str],
    answer: str,
    tags: Iterable[str] | str = (),
    difficulty: str = Difficulty.MEDIUM,
    explanation: str = "",
    organization: Organization | None = None,
) -> Question:
    """Add a question to the bank of ``organization`` (the actor's own by default).

    ``answer``: single choice "A", multiple choice "AC", true/false "T"/"F" (or 对/错), fill-in
    the accepted texts separated by "|".
    """
    organization = organization or home_organization(actor, perms.BANK_MANAGE)
    access.require(actor, perms.BANK_MANAGE, organization)
    values = _question_values(
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        tags=tags,
        difficulty=difficulty,
        explanation=explanation,
    )
    question = Question.objects.create(
        organization=organization, created_by=user_or_none(actor), **values
    )
    audit_record(actor=actor, action="exams.question_created", target=question)
    return question


def question_used(question: Question) -> bool:
    """Return True when someone has answered ``question`` in an exam (its key is then fixed)."""
    return Answer.objects.filter(question=question).exists()


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    kind: str,
    stem: str,
    options: Sequence[str],
    answer: str,
    tags: Iterable[str] | str = (),
    difficulty: str = Difficulty.MEDIUM,
    explanation: str = "",
) -> Question:
    """Change a question. Once answered in an exam, its kind, options and answer stay as they
    are (grades already given depend on them): retire it and add a new one instead."""
    access.require(actor, perms.BANK_MANAGE, question)
    values = _question_values(
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        tags=tags,
        difficulty=difficulty,
        explanation=explanation,
    )
    fixed = ("kind", "options", "answer")
    if any(values[f] != getattr(question, f) for f in fixed) and question_used(question):
        raise problem(
            "answer",
            _(
                "This question has been answered in an exam, so its kind, options and answer "
                "can no longer change. Retire it and add a new question instead."
            ),
        )
    changed = [f for f, v in values.items() if getattr(question, f) != v]
    for field, value in values.items():
        setattr(question, field, value)
    question.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=actor, action="exams.question_changed", target=question, details={"fields": changed}
    )
    return question


@transaction.atomic
def question_set_active(*, actor: Any, question: Question, active: bool) -> Question:
    """Retire a question (exams drawn from now on leave it out) or bring it back."""
    access.require(actor, perms.BANK_MANAGE, question)
    if question.active != active:
        question.active = active
        question.save(update_fields=["active", "updated_at"])
        action = "exams.question_activated" if active else "exams.question_deactivated"
        audit_record(actor=actor, action=action, target=question)
    return question
