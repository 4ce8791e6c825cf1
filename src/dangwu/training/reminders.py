"""Reminders of overdue training: each person with items not done after a plan's due date.

Runs as the periodic job ``training.send_reminders`` (see hooks.py), never in a request. A person
is reminded of a plan at most once every ``TRAINING_REMIND_DAYS`` days (default 3) for as long as
the plan is in progress and something is missing; the notification (platform and e-mail) goes
to every such person of a plan in one insert (messages.notify), and when each was reminded is
written back in one upsert.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.training.enums import PlanStatus
from dangwu.training.models import PlanReminder, TrainingPlan
from dangwu.training.selectors import plan_progress

DEFAULT_REMIND_DAYS = 3


@dataclass(frozen=True)
class _Recipient:
    """What notify() needs of a person: the audience holds only active accounts."""

    pk: int
    is_active: bool = True


def remind_interval() -> timedelta:
    return timedelta(days=getattr(settings, "TRAINING_REMIND_DAYS", DEFAULT_REMIND_DAYS))


def overdue_people(plan: TrainingPlan, now: datetime) -> list[int]:
    """Return the ids of the people owing something of ``plan`` and not reminded lately."""
    people, _items = plan_progress(plan, None)
    missing = {pk for pk, person in people.items() if not person.complete}
    if not missing:
        return []
    recent = set(
        PlanReminder.objects.filter(plan=plan, last_sent_at__gt=now - remind_interval())
        .values_list("user_id", flat=True)
        .iterator(chunk_size=5000)
    )
    return sorted(missing - recent)


def reminders_send(now: datetime | None = None) -> int:
    """Remind everyone with overdue items of every plan in progress; return how many reminded."""
    from dangwu.messages.services import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    plans = TrainingPlan.objects.filter(status=PlanStatus.ACTIVE, due_on__lt=today).select_related(
        "organization"
    )
    reminded = 0
    for plan in plans:
        with transaction.atomic():
            ids = overdue_people(plan, now)
            if not ids:
                continue
            notify(
                actor=access.SYSTEM,
                recipients=[_Recipient(pk) for pk in ids],
                kind="training.overdue",
                title=(
                    _("Reminder: the training “%(title)s” was due on %(due)s")
                    % {"title": plan.title, "due": plan.due_on.isoformat()}
                )[:200],
                body=_("Please finish the courses and exams of this plan that are not done yet."),
                url=reverse("training:mine"),
            )
            PlanReminder.objects.bulk_create(
                [PlanReminder(plan=plan, user_id=pk, last_sent_at=now) for pk in ids],
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["plan", "user"],
                update_fields=["last_sent_at"],
            )
            reminded += len(ids)
    return reminded
