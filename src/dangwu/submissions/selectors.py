"""Reads for submissions: one's own items, the editors' inbox, an item with its history, the
ranking per organization and period, and the calls with who answered. Each runs a fixed number
of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.orgs.models import Organization
from dangwu.submissions import permissions as perms
from dangwu.submissions.enums import SENT, SubmissionStatus
from dangwu.submissions.models import Call, Submission

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST_FIELDS = (
    "id",
    "title",
    "kind",
    "status",
    "channel",
    "submitted_at",
    "updated_at",
    "points",
    "forwarded",
    "comment",
    "organization__id",
    "organization__name",
    "organization__path",
    "submitter_name",
)

INBOX_FIELDS = (*(f for f in LIST_FIELDS if not f.startswith("organization__")), "organization")


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def my_submissions(user: Any) -> QuerySet[Submission]:
    """Return the items ``user`` wrote, last changed first."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return Submission.objects.none()
    return (
        Submission.objects.filter(submitter_id=user.pk)
        .select_related("organization")
        .only(*LIST_FIELDS)
        .order_by("-updated_at", "-id")
    )


def organization_submissions(user: Any) -> QuerySet[Submission]:
    """Return the items of the organizations ``user`` writes for (colleagues' too), any state."""
    return (
        access.visible(user, perms.SUBMISSION_WRITE, Submission.objects.all(), "organization__path")
        .select_related("organization")
        .only(*LIST_FIELDS)
        .order_by("-updated_at", "-id")
    )


def awaiting_approval(user: Any) -> QuerySet[Submission]:
    """Return the items waiting for ``user``'s approval as their organization's secretary."""
    return access.visible(
        user,
        perms.SUBMISSION_APPROVE,
        Submission.objects.filter(status=SubmissionStatus.AWAITING_APPROVAL),
        "organization__path",
    ).select_related("organization")


@dataclass(frozen=True)
class InboxFilter:
    organization: Organization | None = None
    kind: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    call: Call | None = None


def inbox(user: Any, filters: InboxFilter | None = None) -> QuerySet[Submission]:
    """Return what reached the committee, newest first, filtered; only for editors."""
    filters = filters or InboxFilter()
    # "Every state that reached the committee" as an exclusion: SQLite then reads the newest
    # first along the submitted_at index instead of sorting every item of four states.
    items = Submission.objects.filter(submitted_at__isnull=False).exclude(
        status__in=[SubmissionStatus.DRAFT, SubmissionStatus.AWAITING_APPROVAL]
    )
    if not _covers_every_root(user, perms.SUBMISSION_REVIEW):
        items = access.visible(user, perms.SUBMISSION_REVIEW, items, "organization__path")
    if filters.status in SENT:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.organization is not None:
        items = items.filter(organization__path__startswith=filters.organization.path)
    if filters.date_from:
        items = items.filter(submitted_at__gte=day_start(filters.date_from))
    if filters.date_to:
        items = items.filter(submitted_at__lt=day_start(filters.date_to + timedelta(days=1)))
    if filters.call is not None:
        items = items.filter(call=filters.call)
    # The organizations of the page in a second query: joining them here lets SQLite start
    # from the organizations and sort every item instead of reading the newest few.
    return (
        items.only(*INBOX_FIELDS)
        .prefetch_related(
            Prefetch("organization", queryset=Organization.objects.only("id", "name", "path"))
        )
        .order_by("-submitted_at", "-id")
    )


def _covers_every_root(user: Any, rule: str) -> bool:
    """Return True when ``user`` holds ``rule`` on every root of the tree (the committee's
    editors): their lists need no path filter, which would join every row to its organization
    (one small query on the roots instead)."""
    if user is access.SYSTEM:
        return True
    granted = {p for p in access.scope_paths(user, rule) if p.count("/") == 2}
    if not granted:
        return False
    roots = set(Organization.objects.filter(parent__isnull=True).values_list("path", flat=True))
    return roots <= granted


def may_see(user: Any, submission: Submission) -> bool:
    """Return True if ``user`` may read ``submission`` and its history."""
    if getattr(user, "pk", None) is not None and submission.submitter_id == user.pk:
        return True
    if access.can(user, perms.SUBMISSION_WRITE, submission.organization):
        return True
    if access.can(user, perms.SUBMISSION_APPROVE, submission.organization):
        return True
    return submission.status in SENT and access.can(user, perms.SUBMISSION_REVIEW, submission)


def submission_access(*, user: Any, pk: int) -> Submission:
    """Return the item ``pk`` if ``user`` may see it; the same NotFound for missing and not
    theirs."""
    found = (
        Submission.objects.select_related("organization", "suggested_column", "call", "article")
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_see(user, found):
        raise NotFound(_("This item does not exist, or you may not see it."))
    return found


# ------------------------------------------------------------------------------------ ranking


@dataclass
class RankingRow:
    organization: Organization
    own_only: bool  # the viewer's own organization: only its own items, not its subtree's
    submissions: int = 0
    adoptions: int = 0
    points: int = 0
    rank: int = 0

    @property
    def silent(self) -> bool:
        return self.submissions == 0


@dataclass
class Ranking:
    rows: list[RankingRow] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None

    @property
    def silent_count(self) -> int:
        return sum(1 for r in self.rows if r.silent)

    @property
    def totals(self) -> tuple[int, int, int]:
        return (
            sum(r.submissions for r in self.rows),
            sum(r.adoptions for r in self.rows),
            sum(r.points for r in self.rows),
        )


def _depth_of(path: str) -> int:
    return path.count("/") - 2


def ranking(user: Any, *, date_from: date, date_to: date) -> Ranking:
    """Return submissions, adoptions and points per organization in the period (by the day an
    item reached the committee), for the organizations directly under the viewer's scope —
    each counting its whole subtree — and the viewer's own organization for its own items.
    Organizations that sent nothing are listed with zeros. Four queries.
    """
    roots = access.scope_paths(user, perms.SUBMISSION_RANKING)
    if user is access.SYSTEM:
        roots = list(
            Organization.objects.filter(parent__isnull=True).values_list("path", flat=True)
        )
    if not roots:
        return Ranking(date_from=date_from, date_to=date_to)
    in_scope = Q()
    for path in roots:
        in_scope |= Q(path__startswith=path)
    root_depths = {path: _depth_of(path) for path in roots}
    listed = Q(pk__in=[])
    for path, depth in root_depths.items():
        listed |= Q(path__startswith=path, depth__lte=depth + 1)
    organizations = list(
        Organization.objects.filter(listed).only("id", "name", "path", "depth", "code")
    )
    rows: dict[str, RankingRow] = {}
    for org in organizations:
        rows[org.path] = RankingRow(organization=org, own_only=org.path in root_depths)
    # Every organization of the scope by id (one query), so that the figures are grouped by
    # organization id alone: the period's scan uses the covering index and joins nothing.
    path_of = dict(Organization.objects.filter(in_scope).values_list("id", "path"))
    period = Submission.objects.filter(
        status__in=SENT,
        submitted_at__gte=day_start(date_from),
        submitted_at__lt=day_start(date_to + timedelta(days=1)),
    )
    if not _covers_every_root(user, perms.SUBMISSION_RANKING):
        period = period.filter(organization__in=Organization.objects.filter(in_scope))
    figures: list[dict[str, Any]] = list(
        period.values("organization_id")
        .annotate(
            sent=Count("id"),
            adopted=Count("id", filter=Q(status=SubmissionStatus.ADOPTED)),
            earned=Sum("points"),
        )
        .order_by()
    )
    for entry in figures:
        found = path_of.get(entry["organization_id"])
        if found is None:
            continue  # outside the viewer's scope
        row = rows.get(found)
        if row is None:
            row = rows.get(_row_path(found, root_depths))
        if row is None:
            continue
        row.submissions += entry["sent"]
        row.adoptions += entry["adopted"]
        row.points += entry["earned"] or 0
    ordered = sorted(
        rows.values(),
        key=lambda r: (-r.points, -r.adoptions, -r.submissions, r.organization.path),
    )
    rank = 0
    previous: tuple[int, int, int] | None = None
    for position, row in enumerate(ordered, start=1):
        key = (row.points, row.adoptions, row.submissions)
        if key != previous:
            rank = position
            previous = key
        row.rank = rank
    return Ranking(rows=ordered, date_from=date_from, date_to=date_to)


def _row_path(path: str, root_depths: dict[str, int]) -> str:
    """Return the path of the listed organization an item of ``path`` counts for."""
    for root, depth in root_depths.items():
        if path.startswith(root):
            parts = path.strip("/").split("/")
            return "/" + "/".join(parts[: depth + 2]) + "/"
    return path


# -------------------------------------------------------------------------------------- calls


def calls_visible(user: Any) -> QuerySet[Call]:
    """Return the calls an editor sees (their subtree's), latest due date first."""
    return access.visible(user, perms.SUBMISSION_REVIEW, Call.objects.all(), "organization__path")


def calls_open_for(user: Any) -> list[Call]:
    """Return the calls not past due that ask an organization ``user`` writes for and that it
    has not answered yet (two queries)."""
    paths = access.scope_paths(user, perms.SUBMISSION_WRITE)
    if not paths:
        return []
    today = timezone.localdate()
    calls = list(
        Call.objects.filter(due_on__gte=today).prefetch_related("organizations").order_by("due_on")
    )
    answered = set(
        Submission.objects.filter(call__in=calls)
        .filter(_paths_q(paths, "organization__path"))
        .values_list("call_id", flat=True)
    )
    waiting = []
    for call in calls:
        if call.pk in answered:
            continue
        if call.all_organizations or any(
            org.path.startswith(p) or p.startswith(org.path)
            for org in call.organizations.all()
            for p in paths
        ):
            waiting.append(call)
    return waiting


def _paths_q(paths: list[str], field_name: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field_name}__startswith": path})
    return q


@dataclass
class CallAnswer:
    organization: Organization
    answered: int


def call_answers(call: Call) -> list[CallAnswer]:
    """Return each organization asked and how many items it (or its subtree) sent (two
    queries)."""
    if call.all_organizations:
        asked = list(Organization.objects.filter(parent=call.organization).order_by("path"))
    else:
        asked = list(call.organizations.order_by("path"))
    counts: dict[str, int] = defaultdict(int)
    for path, number in (
        Submission.objects.filter(call=call)
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("organization__path")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[path] += number
    answers = []
    for org in asked:
        answered = sum(n for path, n in counts.items() if path.startswith(org.path))
        answers.append(CallAnswer(organization=org, answered=answered))
    return answers


def has_open_items(call: Call) -> bool:
    return Submission.objects.filter(call=call).exists()


def calls_with_counts(user: Any) -> QuerySet[Call]:
    return calls_visible(user).annotate(
        answers=Count("submissions", filter=~Q(submissions__status=SubmissionStatus.DRAFT)),
        answered_any=Exists(Submission.objects.filter(call=OuterRef("pk"))),
    )
