"""What a paper can be made of: the bank an exam may use, the rules that draw from it, and the
checks that the bank can satisfy a fixed paper or a set of rules."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dangwu.exams.enums import Difficulty, QuestionKind
from dangwu.exams.models import ExamRule, Question
from dangwu.exams.services.common import PAPER_MAX, POINTS_MAX, ancestor_paths
from dangwu.orgs.models import Organization


@dataclass(frozen=True)
class RuleSpec:
    """Draw ``count`` questions of ``kind`` (with ``tag``, of ``difficulty``), ``points`` each."""

    kind: str
    count: int
    points: int = 1
    tag: str = ""
    difficulty: str = ""


def bank_for(organization: Organization) -> QuerySet[Question]:
    """Return the active questions an exam of ``organization`` may use.

    Its own bank, the banks above it (a committee's questions serve its branches) and below it.
    """
    return Question.objects.filter(
        Q(organization__path__in=ancestor_paths(organization.path))
        | Q(organization__path__startswith=organization.path),
        active=True,
    )


def rule_pool(bank: QuerySet[Question], rule: RuleSpec | ExamRule) -> QuerySet[Question]:
    """Return the questions of ``bank`` that ``rule`` may draw."""
    pool = bank.filter(kind=rule.kind)
    if rule.tag:
        pool = pool.filter(tags__contains=f",{rule.tag},")
    if rule.difficulty:
        pool = pool.filter(difficulty=rule.difficulty)
    return pool


def rule_specs(rules: Iterable[RuleSpec | Mapping[str, Any]]) -> list[RuleSpec]:
    specs: list[RuleSpec] = []
    for rule in rules:
        if isinstance(rule, RuleSpec):
            specs.append(rule)
            continue
        specs.append(
            RuleSpec(
                kind=str(rule.get("kind", "")),
                count=int(rule.get("count") or 0),
                points=int(rule.get("points") or 1),
                tag=str(rule.get("tag") or "").strip(),
                difficulty=str(rule.get("difficulty") or ""),
            )
        )
    return specs


def rules_problems(
    organization: Organization, rules: Sequence[RuleSpec | ExamRule]
) -> list[tuple[str, str]]:
    """Return why the bank cannot satisfy ``rules`` (empty when it can): one message per rule."""
    problems: list[tuple[str, str]] = []
    bank = bank_for(organization)
    kinds = dict(QuestionKind.choices)
    difficulties = dict(Difficulty.choices)
    for number, rule in enumerate(rules, start=1):
        if rule.kind not in kinds:
            problems.append(
                ("rules", _("Rule %(n)d: choose the kind of question.") % {"n": number})
            )
            continue
        if not 1 <= rule.count <= PAPER_MAX or not 1 <= rule.points <= POINTS_MAX:
            problems.append(
                (
                    "rules",
                    _(
                        "Rule %(n)d: the number of questions is 1 to %(max)d and the points "
                        "each 1 to %(points)d."
                    )
                    % {"n": number, "max": PAPER_MAX, "points": POINTS_MAX},
                )
            )
            continue
        if rule.difficulty and rule.difficulty not in difficulties:
            problems.append(("rules", _("Rule %(n)d: choose the difficulty.") % {"n": number}))
            continue
        found = rule_pool(bank, rule).count()
        if found < rule.count:
            problems.append(
                (
                    "rules",
                    _(
                        "Rule %(n)d asks for %(count)d %(kind)s questions%(tag)s%(difficulty)s, "
                        "but the question bank has only %(found)d. Add questions to the bank or "
                        "ask for fewer."
                    )
                    % {
                        "n": number,
                        "count": rule.count,
                        "kind": kinds[rule.kind],
                        "tag": _(" tagged “%(tag)s”") % {"tag": rule.tag} if rule.tag else "",
                        "difficulty": _(" of %(level)s difficulty")
                        % {"level": difficulties[rule.difficulty]}
                        if rule.difficulty
                        else "",
                        "found": found,
                    },
                )
            )
    if not problems:
        # Rules of one kind draw from overlapping pools: together they need enough questions.
        for kind in {r.kind for r in rules}:
            wanted = sum(r.count for r in rules if r.kind == kind)
            union = Q(pk__in=[])
            for r in rules:
                if r.kind == kind:
                    union |= Q(pk__in=rule_pool(bank, r).values("pk"))
            found = bank.filter(union).count()
            if found < wanted:
                problems.append(
                    (
                        "rules",
                        _(
                            "Together the rules ask for %(count)d %(kind)s questions, but the "
                            "question bank has only %(found)d that fit them. Add questions or "
                            "ask for fewer."
                        )
                        % {"count": wanted, "kind": kinds[kind], "found": found},
                    )
                )
    return problems


def paper_problems(
    organization: Organization, paper: list[tuple[Question, int]]
) -> list[tuple[str, str]]:
    ids = [q.pk for q, _p in paper]
    if len(ids) > PAPER_MAX:
        return [("questions", _("A paper has at most %(n)d questions.") % {"n": PAPER_MAX})]
    if len(set(ids)) != len(ids):
        return [("questions", _("A question appears twice in the paper."))]
    if any(not 1 <= p <= POINTS_MAX for _q, p in paper):
        return [("questions", _("Each question is worth 1 to %(n)d points.") % {"n": POINTS_MAX})]
    usable = set(bank_for(organization).filter(pk__in=ids).values_list("pk", flat=True))
    if len(usable) != len(ids):
        return [
            (
                "questions",
                _("Some chosen questions are retired or not in this organization's bank."),
            )
        ]
    return []
