"""收文办理 through the services: every step, its refusals, who sees what, 我的待办 and search."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from dangwu.audit.models import AuditRecord
from dangwu.core import hooks
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.core.search import SearchFilters, search
from dangwu.incoming import selectors, services
from dangwu.incoming.enums import IncomingStatus, Step, Urgency
from dangwu.incoming.models import Circulation, IncomingDocument, IncomingFile, TrailEntry
from dangwu.incoming.tests.factories import incoming, scan, second_leader

pytestmark = pytest.mark.django_db


def _register(world, **values):
    today = timezone.localdate()
    return services.incoming_register(
        actor=values.pop("actor", world.user("clerk")),
        organization=world.orgs["root"],
        source=values.pop("source", "市委组织部"),
        title=values.pop("title", "关于做好党员发展工作的通知"),
        document_date=values.pop("document_date", today - timedelta(days=2)),
        received_on=values.pop("received_on", today),
        **values,
    )


def _counts() -> tuple[int, int, int]:
    return (
        IncomingDocument.objects.count(),
        IncomingFile.objects.count(),
        TrailEntry.objects.count(),
    )


def test_a_document_goes_from_registration_through_circulation_to_completion(world):
    clerk, leader, reader = world.user("clerk"), world.user("leader"), second_leader(world)
    document = _register(world, upload=scan(), urgency=Urgency.URGENT, copies=2)
    assert document.status == IncomingStatus.REGISTERED
    assert document.files.get().original_name == "来文扫描件.pdf"

    services.incoming_propose(actor=clerk, document=document, proposal="拟请阅示", leader=leader)
    services.incoming_instruct(actor=leader, document=document, instruction="请组织科办理")
    services.incoming_circulate(actor=clerk, document=document, readers=[leader, reader])
    services.incoming_mark_read(actor=leader, document=document, comment="已阅")
    services.incoming_mark_read(actor=reader, document=document)
    deadline = timezone.localdate() + timedelta(days=5)
    services.incoming_assign(
        actor=clerk, document=document, people=[world.user("member")], deadline=deadline
    )
    services.incoming_complete(actor=clerk, document=document, result="已落实")

    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED
    assert document.instructed_by == leader and document.completed_by == clerk
    steps = list(document.trail.values_list("step", flat=True))
    assert steps == [
        Step.REGISTERED,
        Step.FILE_ADDED,
        Step.PROPOSED,
        Step.INSTRUCTED,
        Step.CIRCULATED,
        Step.READ,
        Step.READ,
        Step.ASSIGNED,
        Step.COMPLETED,
    ]
    assert set(document.trail.values_list("actor_name", flat=True)) == {
        clerk.label,
        leader.label,
        reader.label,
    }
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"incoming.registered", "incoming.instructed", "incoming.completed"} <= actions


@pytest.mark.parametrize("level", ["秘密", "机密", "绝密"])
def test_a_classified_document_is_refused_and_nothing_is_saved(world, level):
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        _register(world, classification=level, upload=scan())
    assert refused.value.errors[0][0] == "classification"
    assert refused.value.message == classification_problem(declared_level=level)
    assert _counts() == before


def test_a_secret_mark_in_the_title_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        _register(world, title="机密★1年 关于某事项的通知", classification="内部")
    assert "机密" in refused.value.message
    assert IncomingDocument.objects.count() == 0


def test_a_scan_that_lies_about_its_type_leaves_no_document_behind(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("扫描件.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        _register(world, upload=fake)
    assert refused.value.errors[0][0] == "file"
    assert _counts() == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"source": " "}, "source"),
        ({"title": ""}, "title"),
        ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on"),
        ({"document_date": timezone.localdate() + timedelta(days=1)}, "document_date"),
        ({"document_date": None}, "document_date"),
        ({"copies": 0}, "copies"),
        ({"urgency": "whenever"}, "urgency"),
        ({"classification": "公开"}, "classification"),
    ],
)
def test_bad_registration_values_are_refused_naming_the_field(world, values, field):
    with pytest.raises(ValidationFailed) as refused:
        _register(world, **values)
    assert refused.value.errors[0][0] == field
    assert IncomingDocument.objects.count() == 0


@pytest.mark.parametrize("persona", ["secretary", "leader", "member", "sysadmin"])
def test_only_document_clerks_register(world, persona):
    with pytest.raises(Forbidden):
        _register(world, actor=world.user(persona))
    assert IncomingDocument.objects.count() == 0


def test_the_proposal_must_name_a_leader_of_the_committee(world):
    document = incoming(world)
    with pytest.raises(ValidationFailed) as refused:
        services.incoming_propose(
            actor=world.user("clerk"),
            document=document,
            proposal="拟请阅示",
            leader=world.user("secretary"),
        )
    assert refused.value.errors[0][0] == "leader"
    document.refresh_from_db()
    assert document.status == IncomingStatus.REGISTERED


def test_only_a_leader_instructs_and_only_a_proposed_document(world):
    proposed = incoming(world, "proposed")
    with pytest.raises(Forbidden):
        services.incoming_instruct(actor=world.user("clerk"), document=proposed, instruction="x")
    registered = incoming(world)
    with pytest.raises(DomainError):
        services.incoming_instruct(actor=world.user("leader"), document=registered, instruction="x")
    registered.refresh_from_db()
    assert registered.status == IncomingStatus.REGISTERED and not registered.instruction


def test_several_assignees_need_a_lead(world):
    document = incoming(world, "instructed")
    with pytest.raises(ValidationFailed) as refused:
        services.incoming_assign(
            actor=world.user("clerk"),
            document=document,
            people=[world.user("member")],
            departments=[world.orgs["org1"]],
        )
    assert refused.value.errors[0][0] == "lead"
    assert document.assignments.count() == 0

    services.incoming_assign(
        actor=world.user("clerk"),
        document=document,
        people=[world.user("member")],
        departments=[world.orgs["org1"]],
        lead=world.orgs["org1"],
    )
    assert list(document.assignments.values_list("department_id", "is_lead")) == [
        (world.orgs["org1"].pk, True),
        (None, False),
    ]


@pytest.mark.parametrize(
    ("urgency", "deadline", "person", "field"),
    [
        (Urgency.VERY_URGENT, None, "member", "deadline"),
        (Urgency.NORMAL, -1, "member", "deadline"),
        (Urgency.NORMAL, 3, "sysadmin", "people"),
    ],
)
def test_bad_assignments_are_refused(world, urgency, deadline, person, field):
    document = incoming(world, "instructed", urgency=urgency)
    day = None if deadline is None else timezone.localdate() + timedelta(days=deadline)
    with pytest.raises(ValidationFailed) as refused:
        services.incoming_assign(
            actor=world.user("clerk"), document=document, people=[world.user(person)], deadline=day
        )
    assert refused.value.errors[0][0] == field
    document.refresh_from_db()
    assert document.status == IncomingStatus.INSTRUCTED and document.assignments.count() == 0


def test_completion_waits_until_every_leader_has_read_it(world):
    clerk, reader = world.user("clerk"), second_leader(world)
    document = incoming(world, "handling")
    services.incoming_circulate(
        actor=clerk, document=document, readers=[world.user("leader"), reader]
    )
    services.incoming_mark_read(actor=world.user("leader"), document=document)
    with pytest.raises(DomainError) as refused:
        services.incoming_complete(actor=clerk, document=document, result="已落实")
    # Only the leader who has not read it is named.
    assert refused.value.message == translation.gettext(
        "Not yet read by: %(names)s. Complete the document once every leader has read it."
    ) % {"names": reader.label}
    document.refresh_from_db()
    assert document.status == IncomingStatus.HANDLING

    services.incoming_mark_read(actor=reader, document=document)
    services.incoming_complete(actor=clerk, document=document, result="已落实")
    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED


def test_circulation_goes_only_to_leaders_and_once_each(world):
    clerk = world.user("clerk")
    document = incoming(world, "proposed")
    with pytest.raises(ValidationFailed):
        services.incoming_circulate(
            actor=clerk, document=document, readers=[world.user("secretary")]
        )
    services.incoming_circulate(actor=clerk, document=document, readers=[world.user("leader")])
    with pytest.raises(ValidationFailed):
        services.incoming_circulate(actor=clerk, document=document, readers=[world.user("leader")])
    assert Circulation.objects.filter(document=document).count() == 1


def test_marking_read_is_for_the_readers_and_only_once(world):
    document = incoming(world, "proposed")
    services.incoming_circulate(
        actor=world.user("clerk"), document=document, readers=[world.user("leader")]
    )
    with pytest.raises(Forbidden):
        services.incoming_mark_read(actor=world.user("clerk"), document=document)
    services.incoming_mark_read(actor=world.user("leader"), document=document, comment="阅")
    with pytest.raises(DomainError):
        services.incoming_mark_read(actor=world.user("leader"), document=document)
    assert document.circulations.get().comment == "阅"


def test_a_person_assigned_may_complete_but_another_may_not(world):
    document = incoming(world, "handling")
    with pytest.raises(Forbidden):
        services.incoming_complete(
            actor=world.user("secretary"), document=document, result="已落实"
        )
    services.incoming_complete(actor=world.user("member"), document=document, result="已落实")
    document.refresh_from_db()
    assert document.completed_by == world.user("member")


def test_people_see_a_document_only_when_they_have_a_part_in_it(world):
    document = incoming(world, "instructed")

    def sees(persona: str) -> bool:
        return selectors.documents_visible(world.user(persona)).filter(pk=document.pk).exists()

    assert sees("clerk") and sees("leader")
    assert not any(sees(p) for p in ("member", "secretary", "other_secretary", "editor", "auditor"))
    services.incoming_assign(
        actor=world.user("clerk"),
        document=document,
        people=[world.user("member")],
        departments=[world.orgs["org1"]],
        lead=world.user("member"),
    )
    assert sees("member") and sees("secretary")
    assert not sees("other_secretary") and not sees("orgclerk")


def test_my_todo_list_names_what_each_person_must_do(world):
    clerk, leader, reader = world.user("clerk"), world.user("leader"), second_leader(world)
    to_instruct = incoming(world, "proposed", title="待批办的来文")
    to_read = incoming(world, "instructed", title="待传阅的来文")
    services.incoming_circulate(actor=clerk, document=to_read, readers=[reader])
    to_handle = incoming(world, "handling", title="待承办的来文")

    def titles(user) -> list[str]:
        with translation.override("en"):
            return [t.title for t in hooks.todos_for(user) if t.kind == "Incoming documents"]

    assert titles(leader) == [f"Give your instruction: {to_instruct.title}"]
    assert titles(reader) == [f"Read in circulation: {to_read.title}"]
    assert titles(world.user("member")) == [f"Handle: {to_handle.title}"]
    assert titles(world.user("other_secretary")) == []
    services.incoming_mark_read(actor=reader, document=to_read)
    assert titles(reader) == []


def test_search_finds_a_document_only_for_those_who_may_see_it(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = incoming(world, "instructed", title="关于开展党风廉政建设宣传教育月活动的通知")
    kinds = SearchFilters(kinds=(services.SEARCH_KIND,))

    def found(persona: str) -> list[int]:
        results = search(user=world.user(persona), query="廉政", filters=kinds)
        return [hit.object_id for hit in results.hits]

    assert found("clerk") == [document.pk]
    assert found("leader") == [document.pk]
    assert found("member") == []
    assert found("other_secretary") == []
    services.incoming_assign(
        actor=world.user("clerk"), document=document, people=[world.user("member")]
    )
    assert found("member") == [document.pk]
