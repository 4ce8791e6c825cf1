"""The incoming documents' pages: register with a scan, act on a document, see its trail."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from dangwu.core.classification import classification_problem
from dangwu.incoming import services
from dangwu.incoming.enums import IncomingStatus
from dangwu.incoming.models import IncomingDocument
from dangwu.incoming.tests.factories import incoming, scan, second_leader

pytestmark = pytest.mark.django_db


def zh(msgid: str, **values) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % values if values else text


def _form(**values) -> dict:
    today = timezone.localdate()
    return {
        "source": "市委组织部",
        "source_number": "市委组〔2026〕31号",
        "title": "关于做好党员发展工作的通知",
        "document_date": (today - timedelta(days=2)).isoformat(),
        "received_on": today.isoformat(),
        "urgency": "urgent",
        "classification": "非密",
        "copies": "1",
        **values,
    }


def test_the_clerk_registers_a_document_with_its_scan(client_for):
    response = client_for("clerk").post("/incoming/new/", _form(file=scan()))
    document = IncomingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incoming/{document.pk}/"
    assert document.files.get().original_name == "来文扫描件.pdf"
    page = client_for("clerk").get(f"/incoming/{document.pk}/").content.decode()
    assert "来文扫描件.pdf" in page and "关于做好党员发展工作的通知" in page


def test_a_classified_document_is_refused_and_the_form_keeps_what_was_typed(client_for):
    response = client_for("clerk").post("/incoming/new/", _form(classification="机密"))
    text = response.content.decode()
    assert response.status_code == 400
    assert classification_problem(declared_level="机密") in text
    assert 'value="市委组〔2026〕31号"' in text
    assert IncomingDocument.objects.count() == 0


def test_the_detail_page_shows_who_has_not_yet_read_it_and_the_trail(client_for, world):
    reader = second_leader(world)
    document = incoming(world, "instructed")
    services.incoming_circulate(
        actor=world.user("clerk"), document=document, readers=[world.user("leader"), reader]
    )
    services.incoming_mark_read(actor=world.user("leader"), document=document, comment="已阅同意")
    text = client_for("clerk").get(f"/incoming/{document.pk}/").content.decode()
    assert zh("Not yet read by") in text and reader.label in text
    assert "已阅同意" in text and "请办理。" in text
    assert zh("Leader's instruction") in text


def test_a_leader_instructs_from_the_page_and_an_empty_instruction_is_explained(client_for, world):
    document = incoming(world, "proposed")
    client = client_for("leader")
    refused = client.post(f"/incoming/{document.pk}/instruct/", {"instruction": " "})
    assert refused.status_code == 400
    document.refresh_from_db()
    assert document.status == IncomingStatus.PROPOSED
    done = client.post(f"/incoming/{document.pk}/instruct/", {"instruction": "同意"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == IncomingStatus.INSTRUCTED and document.instruction == "同意"


def test_completing_before_everyone_has_read_shows_the_names(client_for, world):
    document = incoming(world, "handling")
    services.incoming_circulate(
        actor=world.user("clerk"), document=document, readers=[second_leader(world)]
    )
    client = client_for("clerk")
    response = client.post(f"/incoming/{document.pk}/complete/", {"result": "已落实"}, follow=True)
    assert "副书记" in response.content.decode()
    document.refresh_from_db()
    assert document.status == IncomingStatus.HANDLING


@pytest.mark.parametrize("persona", ["secretary", "other_secretary", "member", "auditor"])
def test_people_without_a_part_get_the_same_404_as_for_a_missing_document(
    client_for, world, persona
):
    document = incoming(world, "instructed", upload=scan())
    client = client_for(persona)
    assert client.get(f"/incoming/{document.pk}/").status_code == 404
    assert client.get("/incoming/999999/").status_code == 404
    assert client.get(f"/incoming/files/{document.files.get().pk}/").status_code == 404
    assert client.get("/incoming/").status_code == 404


def test_the_list_costs_no_query_per_row(client_for, world, django_assert_max_num_queries):
    client = client_for("clerk")

    def count() -> int:
        with django_assert_max_num_queries(15) as captured:
            assert client.get("/incoming/").status_code == 200
        return len(captured)

    incoming(world, "instructed")
    few = count()
    for n in range(15):
        incoming(world, "proposed" if n % 2 else "registered", title=f"来文{n}")
    assert count() == few


def test_the_detail_page_costs_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries
):
    client = client_for("clerk")
    document = incoming(world, "handling", upload=scan())

    def count() -> int:
        with django_assert_max_num_queries(40) as captured:
            assert client.get(f"/incoming/{document.pk}/").status_code == 200
        return len(captured)

    few = count()
    services.incoming_circulate(
        actor=world.user("clerk"), document=document, readers=[world.user("leader")]
    )
    services.incoming_circulate(
        actor=world.user("clerk"), document=document, readers=[second_leader(world)]
    )
    services.incoming_assign(
        actor=world.user("clerk"),
        document=document,
        people=[world.user("secretary")],
        lead=world.user("secretary"),
    )
    for _ in range(3):
        services.incoming_file_add(actor=world.user("clerk"), document=document, upload=scan())
    assert count() == few
