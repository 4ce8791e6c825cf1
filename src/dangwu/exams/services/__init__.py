"""Writes of the question bank and exams, one module per thing they change.

``questions`` (the bank), ``papers`` (what a paper can be made of: the bank an exam may use and
the rules drawing from it), ``exams`` (set, change, publish, close), ``attempts`` (start, save
answers, hand in, grade) and ``common`` (limits and refusals they share). The public names are
re-exported here: ``from dangwu.exams.services import exam_create`` or ``services.exam_create``.
"""

from dangwu.exams.services.attempts import (
    answer_save,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    attempts_left,
    certificate_number,
    close_expired_job,
    grade_attempt,
    in_audience,
)
from dangwu.exams.services.common import (
    ATTEMPTS_MAX,
    GRACE,
    PAPER_MAX,
    POINTS_MAX,
    RULES_MAX,
    TIME_LIMIT_MAX,
    ancestor_paths,
    exam_owner,
    home_organization,
    user_or_none,
)
from dangwu.exams.services.exams import (
    KEEP,
    closed_exam_message,
    exam_close,
    exam_create,
    exam_publish,
    exam_update,
)
from dangwu.exams.services.papers import RuleSpec, bank_for, rule_pool, rules_problems
from dangwu.exams.services.questions import (
    question_create,
    question_set_active,
    question_update,
    question_used,
)

__all__ = [
    "ATTEMPTS_MAX",
    "GRACE",
    "KEEP",
    "PAPER_MAX",
    "POINTS_MAX",
    "RULES_MAX",
    "TIME_LIMIT_MAX",
    "RuleSpec",
    "ancestor_paths",
    "answer_save",
    "answers_save",
    "attempt_start",
    "attempt_submit",
    "attempts_close_expired",
    "attempts_left",
    "bank_for",
    "certificate_number",
    "close_expired_job",
    "closed_exam_message",
    "exam_close",
    "exam_create",
    "exam_owner",
    "exam_publish",
    "exam_update",
    "grade_attempt",
    "home_organization",
    "in_audience",
    "question_create",
    "question_set_active",
    "question_update",
    "question_used",
    "rule_pool",
    "rules_problems",
    "user_or_none",
]
