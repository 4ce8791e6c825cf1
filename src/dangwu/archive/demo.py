"""Demo archive: the completed incoming documents of the demo, archived by the demo clerk."""

from dangwu.accounts.models import User
from dangwu.archive.enums import Retention
from dangwu.archive.services import item_archive
from dangwu.core.demo import DemoContext
from dangwu.incoming.services import SEARCH_KIND as INCOMING


def build_archive(context: DemoContext) -> None:
    clerk = User.objects.get(username="demo-clerk")
    retentions = [Retention.YEARS_30, Retention.YEARS_10]
    for index, document in enumerate(context.data.get("incoming_completed", [])[:1]):
        item_archive(
            actor=clerk,
            kind=INCOMING,
            source_id=document.pk,
            retention=retentions[index % 2],
            unit="BGS",
            pages=4,
        )


build_archive.order = 45  # type: ignore[attr-defined]  # read by core.demo.build_demo
