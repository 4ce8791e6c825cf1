"""Access matrix cases of the incoming app (see tests/matrix/__init__.py).

Clerks of the committee register and route; leaders instruct and read; a person assigned sees
(and may complete) what is assigned to them; nobody else sees anything.
"""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.incoming import services
from dangwu.portal.tests.files import pdf
from tests.matrix import Case

ROUTERS = frozenset({"clerk"})
READERS = frozenset({"clerk", "leader"})
LEADERS = frozenset({"leader"})
API = "/api/v1/incoming/documents"
PDF = pdf("来文")


def _document(world, state: str = "instructed") -> int:
    from dangwu.incoming.tests.factories import incoming

    return incoming(world, state).pk


def _circulated(world) -> int:
    from dangwu.incoming.models import IncomingDocument

    pk = _document(world, "proposed")
    services.incoming_circulate(
        actor=world.user("clerk"),
        document=IncomingDocument.objects.get(pk=pk),
        readers=[world.user("leader")],
    )
    return pk


def _file(world) -> int:
    from dangwu.incoming.tests.factories import incoming, scan

    return incoming(world, "instructed", upload=scan()).files.get().pk


def _register_form(world) -> dict:
    from datetime import date

    return {
        "source": "市委组织部",
        "title": "矩阵来文",
        "document_date": date.today().isoformat(),
        "received_on": date.today().isoformat(),
        "urgency": "normal",
        "classification": "非密",
        "copies": "1",
    }


def _register_json(world) -> dict:
    return {**_register_form(world), "copies": 1}


def _b64() -> dict:
    return {"name": "扫描件.pdf", "content_base64": base64.b64encode(PDF).decode()}


CASES = [
    # ------------------------------------------------------------------ pages
    Case("incoming:list", "get", lambda w: "/incoming/", READERS),
    Case("incoming:register", "get", lambda w: "/incoming/new/", ROUTERS),
    Case("incoming:detail", "get", lambda w: f"/incoming/{_document(w)}/", READERS),
    Case("incoming:file", "get", lambda w: f"/incoming/files/{_file(w)}/", READERS),
    Case(
        "incoming:file_add",
        "post",
        lambda w: f"/incoming/{_document(w)}/files/",
        ROUTERS,
        lambda w: {"file": SimpleUploadedFile("扫描件.pdf", PDF, "application/pdf")},
    ),
    Case(
        "incoming:propose",
        "post",
        lambda w: f"/incoming/{_document(w, 'registered')}/propose/",
        ROUTERS,
        lambda w: {"proposal": "拟请阅示", "leader": w.user("leader").pk},
    ),
    Case(
        "incoming:instruct",
        "post",
        lambda w: f"/incoming/{_document(w, 'proposed')}/instruct/",
        LEADERS,
        {"instruction": "同意"},
    ),
    Case(
        "incoming:assign",
        "post",
        lambda w: f"/incoming/{_document(w)}/assign/",
        ROUTERS,
        lambda w: {"people": [w.user("secretary").pk]},
    ),
    Case(
        "incoming:circulate",
        "post",
        lambda w: f"/incoming/{_document(w)}/circulate/",
        ROUTERS,
        lambda w: {"readers": [w.user("leader").pk]},
    ),
    Case("incoming:read", "post", lambda w: f"/incoming/{_circulated(w)}/read/", LEADERS, {}),
    Case(
        "incoming:complete",
        "post",
        lambda w: f"/incoming/{_document(w, 'handling')}/complete/",
        frozenset({"clerk", "member"}),  # the member persona is the person assigned
        {"result": "已落实"},
    ),
    # ------------------------------------------------------------------ API
    Case("api:incoming_list", "get", lambda w: API, READERS),
    Case("api:incoming_detail", "get", lambda w: f"{API}/{_document(w)}", READERS),
    Case("api:incoming_register", "post", lambda w: API, ROUTERS, _register_json),
    Case(
        "api:incoming_file_add",
        "post",
        lambda w: f"{API}/{_document(w)}/files",
        ROUTERS,
        lambda w: _b64(),
    ),
    Case(
        "api:incoming_propose",
        "post",
        lambda w: f"{API}/{_document(w, 'registered')}/propose",
        ROUTERS,
        lambda w: {"proposal": "拟请阅示", "leader": w.user("leader").pk},
    ),
    Case(
        "api:incoming_instruct",
        "post",
        lambda w: f"{API}/{_document(w, 'proposed')}/instruct",
        LEADERS,
        {"instruction": "同意"},
    ),
    Case(
        "api:incoming_assign",
        "post",
        lambda w: f"{API}/{_document(w)}/assign",
        ROUTERS,
        lambda w: {"people": [w.user("secretary").pk]},
    ),
    Case(
        "api:incoming_circulate",
        "post",
        lambda w: f"{API}/{_document(w)}/circulate",
        ROUTERS,
        lambda w: {"readers": [w.user("leader").pk]},
    ),
    Case("api:incoming_read", "post", lambda w: f"{API}/{_circulated(w)}/read", LEADERS, {}),
    Case(
        "api:incoming_complete",
        "post",
        lambda w: f"{API}/{_document(w, 'handling')}/complete",
        frozenset({"clerk", "member"}),
        {"result": "已落实"},
    ),
]
