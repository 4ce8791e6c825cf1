"""Checking questions and responses, and grading a response: pure functions, no database.

Answers are kept in one canonical form: single choice "B", multiple choice the letters sorted
("AC"), true/false "T" or "F", fill-in the accepted texts separated by "|". Responses are
normalized the same way before they are stored, so grading compares like with like.
"""

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from dangwu.exams.enums import (
    CHOICE_KINDS,
    FALSE,
    MAX_OPTIONS,
    MIN_OPTIONS,
    OPTION_LETTERS,
    TRUE,
    QuestionKind,
)

STEM_MAX = 2000
OPTION_MAX = 300
ANSWER_MAX = 500
EXPLANATION_MAX = 4000
TAG_MAX = 30
TAGS_MAX = 10
RESPONSE_MAX = 200
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
_SPACES = re.compile(r"\s+")
TRUE_WORDS = {"T", "TRUE", "对", "正确", "√", "是", "Y"}
FALSE_WORDS = {"F", "FALSE", "错", "错误", "×", "否", "N"}

Problems = list[tuple[str, str]]


def split_tags(tags: str | Iterable[str]) -> list[str]:
    """Return the tags of a text ("党章，党史") or a list, trimmed, unique, in order."""
    items = _TAG_SPLIT.split(tags) if isinstance(tags, str) else list(tags)
    seen: list[str] = []
    for tag in items:
        tag = str(tag).strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def tags_text(tags: list[str]) -> str:
    """Return the stored form of ``tags``: ",党章,党史," (empty when there is none)."""
    return f",{','.join(tags)}," if tags else ""


def letters(value: str) -> str:
    """Return the option letters in ``value`` ("a, c" → "AC"), upper-case, sorted, unique."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    return "".join(sorted({ch for ch in text if not ch.isspace() and ch not in ",，、;；"}))


def true_false(value: str) -> str:
    """Return "T" or "F" for the ways people write true and false, or "" if it is neither."""
    text = unicodedata.normalize("NFKC", value or "").strip().upper()
    if text in TRUE_WORDS:
        return TRUE
    if text in FALSE_WORDS:
        return FALSE
    return ""


def fill_key(value: str) -> str:
    """Return ``value`` as fill-in answers are compared: NFKC, no spaces, case-insensitive."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or "")).casefold()


def check_question(
    *,
    kind: str,
    stem: str,
    options: list[str],
    answer: str,
    tags: list[str],
    difficulty: str,
    explanation: str = "",
    difficulties: Iterable[str] = (),
) -> tuple[dict[str, object], Problems]:
    """Return a question's values in canonical form, and every problem found in them."""
    problems: Problems = []
    stem = (stem or "").strip()
    options = [str(o).strip() for o in (options or [])]
    while options and not options[-1]:
        options.pop()
    answer = (answer or "").strip()
    if kind not in QuestionKind.values:
        problems.append(("kind", _("Choose the kind of question.")))
    if not stem:
        problems.append(("stem", _("Write the question.")))
    elif len(stem) > STEM_MAX:
        problems.append(
            ("stem", _("The question is longer than %(n)d characters.") % {"n": STEM_MAX})
        )
    if difficulties and difficulty not in difficulties:
        problems.append(("difficulty", _("Choose the difficulty.")))
    if len(explanation or "") > EXPLANATION_MAX:
        problems.append(
            (
                "explanation",
                _("The explanation is longer than %(n)d characters.") % {"n": EXPLANATION_MAX},
            )
        )
    if len(tags) > TAGS_MAX:
        problems.append(("tags", _("At most %(n)d tags.") % {"n": TAGS_MAX}))
    if any(len(t) > TAG_MAX for t in tags):
        problems.append(("tags", _("A tag has at most %(n)d characters.") % {"n": TAG_MAX}))
    if kind in CHOICE_KINDS:
        answer, more = _check_choice(kind, options, answer)
        problems += more
    elif kind == QuestionKind.TRUE_FALSE:
        options = []
        answer = true_false(answer)
        if not answer:
            problems.append(("answer", _("The answer of a true-or-false question is 对 or 错.")))
    elif kind == QuestionKind.FILL:
        options = []
        alternatives = [a.strip() for a in answer.split("|") if a.strip()]
        answer = "|".join(alternatives)
        if not alternatives:
            problems.append(("answer", _("Write the correct answer.")))
        elif len(answer) > ANSWER_MAX:
            problems.append(
                ("answer", _("The answer is longer than %(n)d characters.") % {"n": ANSWER_MAX})
            )
    values: dict[str, object] = {
        "kind": kind,
        "stem": stem,
        "options": options,
        "answer": answer,
        "tags": tags_text(tags),
        "difficulty": difficulty,
        "explanation": (explanation or "").strip(),
    }
    return values, problems


def _check_choice(kind: str, options: list[str], answer: str) -> tuple[str, Problems]:
    problems: Problems = []
    if len(options) < MIN_OPTIONS:
        problems.append(("options", _("Give at least %(n)d options.") % {"n": MIN_OPTIONS}))
    elif len(options) > MAX_OPTIONS:
        problems.append(("options", _("Give at most %(n)d options.") % {"n": MAX_OPTIONS}))
    elif any(not o for o in options):
        problems.append(("options", _("An option in the middle is empty.")))
    elif any(len(o) > OPTION_MAX for o in options):
        problems.append(
            ("options", _("An option is longer than %(n)d characters.") % {"n": OPTION_MAX})
        )
    elif len(set(options)) != len(options):
        problems.append(("options", _("Two options are the same.")))
    chosen = letters(answer)
    allowed = OPTION_LETTERS[: len(options)]
    if not chosen:
        problems.append(("answer", _("Write the letter of the correct option, such as A.")))
    elif any(ch not in allowed for ch in chosen):
        problems.append(
            (
                "answer",
                _("The answer “%(answer)s” is not one of the options %(allowed)s.")
                % {"answer": answer, "allowed": "、".join(allowed) or "—"},
            )
        )
    elif kind == QuestionKind.SINGLE and len(chosen) != 1:
        problems.append(("answer", _("A single-choice question has exactly one correct option.")))
    elif kind == QuestionKind.MULTIPLE and len(chosen) < 2:
        problems.append(
            ("answer", _("A multiple-choice question has at least two correct options."))
        )
    return chosen, problems


def normalize_response(kind: str, option_count: int, response: str) -> str | None:
    """Return ``response`` in canonical form, or None when it cannot be an answer at all."""
    response = response or ""
    if len(response) > RESPONSE_MAX:
        return None
    if kind in CHOICE_KINDS:
        chosen = letters(response)
        if any(ch not in OPTION_LETTERS[:option_count] for ch in chosen):
            return None
        if kind == QuestionKind.SINGLE and len(chosen) > 1:
            return None
        return chosen
    if kind == QuestionKind.TRUE_FALSE:
        if not response.strip():
            return ""
        return true_false(response) or None
    return " ".join(response.split())


def is_correct(kind: str, answer: str, response: str) -> bool:
    """Grade one response: choices all-or-nothing, fill-in against any accepted text."""
    if not response:
        return False
    if kind == QuestionKind.FILL:
        key = fill_key(response)
        return any(key == fill_key(a) for a in answer.split("|") if a.strip())
    return response == answer


def points_for(kind: str, answer: str, response: str, points: int) -> Decimal:
    return Decimal(points) if is_correct(kind, answer, response) else Decimal(0)
