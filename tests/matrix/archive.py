"""Access matrix cases of the archive app (see tests/matrix/__init__.py).

Document clerks archive and correct; clerks and leaders read the catalogue, items and files and
export the catalogue; every business role may open the document search, which finds only what
each kind's own rule lets them see.
"""

from dangwu.archive.enums import Retention
from dangwu.incoming.services import SEARCH_KIND as INCOMING
from tests.matrix import BUSINESS, Case

CLERKS = frozenset({"clerk"})
READERS = frozenset({"clerk", "leader"})
API = "/api/v1/archive"


def _completed(world) -> int:
    from dangwu.incoming.tests.factories import incoming

    return incoming(world, "completed").pk


def _item(world):
    from dangwu.archive.services import item_archive
    from dangwu.incoming.tests.factories import incoming, scan

    return item_archive(
        actor=world.user("clerk"),
        kind=INCOMING,
        source_id=incoming(world, "completed", upload=scan()).pk,
        retention=Retention.YEARS_30,
        unit="BGS",
        pages=2,
    )


def _correction(world) -> dict:
    return {
        "doc_number": "",
        "responsible": "市委组织部",
        "title": "更正后的题名",
        "date": "2026-01-05",
        "classification": "非密",
        "pages": "3",
        "remarks": "",
        "reason": "题名有误",
    }


CASES = [
    # ------------------------------------------------------------------ pages
    Case("archive:catalogue", "get", lambda w: "/archive/", READERS),
    Case("archive:export", "get", lambda w: "/archive/catalogue.xlsx", READERS),
    Case(
        "archive:create",
        "get",
        lambda w: f"/archive/new/?kind={INCOMING}&source={_completed(w)}",
        CLERKS,
    ),
    Case("archive:item", "get", lambda w: f"/archive/items/{_item(w).pk}/", READERS),
    Case(
        "archive:rearchive",
        "post",
        lambda w: f"/archive/items/{_item(w).pk}/correct/",
        CLERKS,
        _correction,
    ),
    Case("archive:file", "get", lambda w: f"/archive/files/{_item(w).files.get().pk}/", READERS),
    Case("archive:search", "get", lambda w: "/archive/search/?q=通知", BUSINESS),
    # ------------------------------------------------------------------ API
    Case("api:archive_item_list", "get", lambda w: f"{API}/items", READERS),
    Case("api:archive_item_detail", "get", lambda w: f"{API}/items/{_item(w).pk}", READERS),
    Case(
        "api:archive_item_create",
        "post",
        lambda w: f"{API}/items",
        CLERKS,
        lambda w: {"kind": INCOMING, "source_id": _completed(w), "retention": "D10", "pages": 2},
    ),
    Case(
        "api:archive_item_rearchive",
        "post",
        lambda w: f"{API}/items/{_item(w).pk}/rearchive",
        CLERKS,
        {"reason": "页数有误", "pages": 5},
    ),
    Case("api:archive_catalogue_export", "get", lambda w: f"{API}/catalogue.xlsx", READERS),
    Case("api:archive_search", "get", lambda w: f"{API}/search?q=通知", BUSINESS),
]
