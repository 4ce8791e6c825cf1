"""Access matrix cases of the submissions app (see tests/matrix/__init__.py).

Items belong to 第一机关党委 (org1), written by its secretary. Writers: the secretary of org1
and the organization clerk (ORG_CLERK at the root); the other secretary writes only for org2.
Editors decide once an item reached the committee (never see drafts); the secretary approves
items waiting for her organization's approval; editors, leaders, secretaries and clerks rank.
"""

import base64

from tests.matrix import BUSINESS, Case

WRITERS = frozenset({"secretary", "orgclerk"})
ANY_WRITER = frozenset({"secretary", "orgclerk", "other_secretary"})
EDITOR = frozenset({"editor"})
SECRETARY = frozenset({"secretary"})
SEERS = frozenset({"secretary", "orgclerk", "editor"})
RANKERS = frozenset({"editor", "leader", "secretary", "other_secretary", "orgclerk"})
API = "/api/v1/submissions"


class _Png:
    name = "现场.png"

    def read(self, *args) -> bytes:
        from dangwu.portal.tests.files import png

        return png()


def _item(world, state: str = "submitted") -> int:
    from dangwu.submissions import services
    from dangwu.submissions.tests.factories import item_in, make_columns

    if state == "awaiting_approval":
        services.settings_change(
            actor=world.user("secretary"),
            organization=world.orgs["org1"],
            requires_approval=True,
            members_may_submit=False,
        )
        item = item_in(world, "draft")
        services.submission_submit(actor=world.user("orgclerk"), submission=item)
        return item.pk
    columns = make_columns() if state == "adopted" else None
    return item_in(world, state, columns).pk


def _with_file(world) -> tuple[int, int, str]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.portal.tests.files import png
    from dangwu.submissions import services
    from dangwu.submissions.tests.factories import draft

    item = draft(world)
    stored = services.submission_file_add(
        actor=world.user("secretary"),
        submission=item,
        upload=SimpleUploadedFile("现场.png", png(), content_type="image/png"),
        role="photo",
    )
    return item.pk, stored.pk, str(stored.uuid)


def _column(world) -> int:
    from dangwu.submissions.tests.factories import make_columns

    return make_columns()["news"].pk


def _call(world) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from dangwu.submissions import services

    return services.call_create(
        actor=world.user("editor"),
        organization=world.orgs["root"],
        title="征集",
        due_on=timezone.localdate() + timedelta(days=5),
        all_organizations=True,
    ).pk


def _new_item(world) -> dict:
    return {
        "organization": world.orgs["org1"].pk,
        "kind": "news",
        "title": "矩阵",
        "body": "<p>x</p>",
    }


CASES: list[Case] = [
    Case("submissions:mine", "get", lambda w: "/submissions/", BUSINESS),
    Case("submissions:create", "get", lambda w: "/submissions/new/", ANY_WRITER),
    Case("submissions:detail", "get", lambda w: f"/submissions/{_item(w)}/", SEERS),
    Case("submissions:edit", "get", lambda w: f"/submissions/{_item(w, 'draft')}/edit/", WRITERS),
    Case(
        "submissions:submit", "post", lambda w: f"/submissions/{_item(w, 'draft')}/submit/", WRITERS
    ),
    Case(
        "submissions:approve",
        "post",
        lambda w: f"/submissions/{_item(w, 'awaiting_approval')}/approve/",
        SECRETARY,
    ),
    Case(
        "submissions:send_back",
        "post",
        lambda w: f"/submissions/{_item(w, 'awaiting_approval')}/send-back/",
        SECRETARY,
        {"org-comment": "请补充"},
    ),
    Case(
        "submissions:adopt",
        "post",
        lambda w: f"/submissions/{_item(w)}/adopt/",
        EDITOR,
        lambda w: {"column": _column(w), "publish": "on"},
    ),
    Case(
        "submissions:return",
        "post",
        lambda w: f"/submissions/{_item(w)}/return/",
        EDITOR,
        {"comment": "请补充"},
    ),
    Case(
        "submissions:decline",
        "post",
        lambda w: f"/submissions/{_item(w)}/decline/",
        EDITOR,
        {"reason": "已刊发"},
    ),
    Case(
        "submissions:forward",
        "post",
        lambda w: f"/submissions/{_item(w, 'adopted')}/forward/",
        EDITOR,
    ),
    Case("submissions:contact", "post", lambda w: f"/submissions/{_item(w)}/contact/", SEERS),
    Case(
        "submissions:file_add",
        "post",
        lambda w: f"/submissions/{_item(w, 'draft')}/files/",
        WRITERS,
        lambda w: {"role": "attachment", "file": _Png()},
    ),
    Case(
        "submissions:file_remove",
        "post",
        lambda w: "/submissions/{}/files/{}/remove/".format(*_with_file(w)[:2]),
        WRITERS,
    ),
    Case("submissions:file", "get", lambda w: f"/submissions/files/{_with_file(w)[2]}/", WRITERS),
    Case("submissions:inbox", "get", lambda w: "/submissions/inbox/", EDITOR),
    Case("submissions:ranking", "get", lambda w: "/submissions/ranking/", RANKERS),
    Case("submissions:ranking_export", "get", lambda w: "/submissions/ranking.xlsx", RANKERS),
    Case(
        "submissions:points",
        "post",
        lambda w: "/submissions/ranking/points/",
        EDITOR,
        {"internal": 1, "public": 2, "upward": 3},
    ),
    Case("submissions:calls", "get", lambda w: "/submissions/calls/", EDITOR),
    Case("submissions:call", "get", lambda w: f"/submissions/calls/{_call(w)}/", EDITOR),
    Case(
        "submissions:settings",
        "get",
        lambda w: f"/submissions/settings/{w.orgs['org1'].pk}/",
        SECRETARY,
    ),
    # ------------------------------------------------------------------------------ API
    Case("api:submission_create", "post", lambda w: API, WRITERS, _new_item),
    Case("api:submission_mine", "get", lambda w: f"{API}/mine", BUSINESS),
    Case("api:submission_inbox", "get", lambda w: f"{API}/inbox", EDITOR),
    Case("api:submission_ranking", "get", lambda w: f"{API}/ranking", RANKERS),
    Case("api:submission_detail", "get", lambda w: f"{API}/{_item(w)}", SEERS),
    Case(
        "api:submission_file_add",
        "post",
        lambda w: f"{API}/{_item(w, 'draft')}/files",
        WRITERS,
        lambda w: {"role": "photo", "name": "现场.png", "content_base64": _png64()},
    ),
    Case("api:submission_submit", "post", lambda w: f"{API}/{_item(w, 'draft')}/submit", WRITERS),
    Case(
        "api:submission_adopt",
        "post",
        lambda w: f"{API}/{_item(w)}/adopt",
        EDITOR,
        lambda w: {"column": _column(w)},
    ),
    Case(
        "api:submission_return",
        "post",
        lambda w: f"{API}/{_item(w)}/return",
        EDITOR,
        {"comment": "请补充"},
    ),
    Case(
        "api:submission_decline",
        "post",
        lambda w: f"{API}/{_item(w)}/decline",
        EDITOR,
        {"reason": "已刊发"},
    ),
]


def _png64() -> str:
    from dangwu.portal.tests.files import png

    return base64.b64encode(png()).decode()
