"""The public intake form (in process) and the round trip public → internal through a real
public site (its own process, settings and database)."""

import json
import zipfile

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from dangwu.access import SYSTEM
from dangwu.core.errors import ValidationFailed
from dangwu.exchange.services import exchange_export, exchange_import
from dangwu.exchange.tests.conftest import keys, public_site, public_template  # noqa: F401
from dangwu.portal.tests.files import png
from dangwu.submissions import services
from dangwu.submissions.enums import Channel, SubmissionStatus
from dangwu.submissions.intake import TooMany, intake_submit
from dangwu.submissions.models import IntakeAccess, IntakeFile, IntakeItem, Submission
from dangwu.submissions.tests.factories import DOCX_TYPE

CODE = "ABCD-EFGH-JKMN"


@pytest.fixture
def access_row(db):
    return IntakeAccess.objects.create(
        uuid="00000000-0000-4000-8000-000000000001",
        organization_code="A02",
        organization_name="第二机关党委",
        code_hash=make_password(CODE.replace("-", "")),
    )


def _send(**values):
    values = {
        "organization_code": "A02",
        "code": CODE,
        "title": "第二机关党委开展主题党日",
        "kind": "news",
        "text": "第一段。\n第二段。",
        "contact_name": "王明",
        "contact_phone": "13800001111",
        "address": "203.0.113.9",
    } | values
    return intake_submit(**values)


def test_an_item_with_the_right_code_is_kept_until_the_bundle(access_row):
    item = _send(photos=[SimpleUploadedFile("现场.png", png(), content_type="image/png")])

    assert item.body == "<p>第一段。</p><p>第二段。</p>"
    assert item.files.count() == 1


def test_a_wrong_code_is_refused_and_guessing_is_cut_off(access_row):
    for _attempt in range(5):
        with pytest.raises(ValidationFailed):
            _send(code="WRONG-CODE-0000")
    with pytest.raises(TooMany):
        _send()  # even the right code, for an hour

    assert IntakeItem.objects.count() == 0


def test_an_unknown_organization_is_refused(access_row):
    with pytest.raises(ValidationFailed):
        _send(organization_code="A01")


def test_classified_text_and_lying_files_are_refused_with_nothing_kept(access_row):
    with pytest.raises(ValidationFailed):
        _send(text="机密★\n内容")
    with pytest.raises(ValidationFailed):
        _send(upload=SimpleUploadedFile("稿件.docx", png(), content_type=DOCX_TYPE))
    with pytest.raises(ValidationFailed):
        _send(photos=[SimpleUploadedFile("照片.png", b"%PDF-1.4 x")])

    assert IntakeItem.objects.count() == 0
    assert IntakeFile.objects.count() == 0


@override_settings(SUBMISSIONS_INTAKE_PER_HOUR=2)
def test_too_many_items_from_one_address_are_refused(access_row, monkeypatch):
    from dangwu.submissions import intake

    monkeypatch.setattr(intake, "ITEMS_PER_ADDRESS", 2)
    _send()
    _send()

    with pytest.raises(TooMany):
        _send()
    assert IntakeItem.objects.count() == 2


def test_the_form_page_answers_400_with_a_chinese_message(access_row, client, settings):
    settings.ROOT_URLCONF = "dangwu.urls_public"
    settings.SITE = "public"

    page = client.get("/submit/")
    refused = client.post(
        "/submit/",
        {
            "organization": "A02",
            "code": "WRONG",
            "title": "标题",
            "kind": "news",
            "text": "正文",
            "contact_name": "王明",
            "contact_phone": "13800001111",
        },
    )

    assert page.status_code == 200 and "第二机关党委" in page.content.decode()
    assert refused.status_code == 400
    assert IntakeItem.objects.count() == 0


# ------------------------------------------------------------------------------ round trip

PUBLIC_SCRIPT = """
import json
from pathlib import Path
from django.conf import settings
from django.test import Client
from dangwu.access import SYSTEM
from dangwu.exchange.services import exchange_export, exchange_keygen
from dangwu.submissions.models import IntakeFile, IntakeItem
data = Path(settings.DATA_DIR)
keys = exchange_keygen(actor=SYSTEM, private_path=data / "own.key", public_path=data / "own.pub")
settings.EXCHANGE_PRIVATE_KEY = keys.private
settings.EXCHANGE_OUTBOX = data / "outbox"
client = Client()
with open(data / "photo.png", "rb") as photo:
    response = client.post("/submit/", {
        "organization": "A01", "code": %(code)r, "title": "来自互联网的稿件",
        "kind": "practice", "text": "我们的做法。", "contact_name": "王明",
        "contact_phone": "13800001111", "photos": photo,
    })
before = IntakeItem.objects.count()
log = exchange_export(actor=SYSTEM, target="internal", destination=data / "inward.zip")
print("@@" + json.dumps({
    "status": response.status_code, "before": before, "after": IntakeItem.objects.count(),
    "files": IntakeFile.objects.count(), "sequence": log.sequence,
    "stored": [p.name for p in (data / "media" / "intake").glob("*")]
    if (data / "media" / "intake").exists() else [],
}))
"""


def test_intake_items_travel_inward_and_the_public_site_keeps_nothing(
    world,
    keys,  # noqa: F811
    public_site,  # noqa: F811
    tmp_path,
    settings,
):
    # The public site checks the code with the production hashers (the suite's MD5 is not one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    code = services.intake_code_issue(
        actor=world.user("secretary"), organization=world.orgs["org1"]
    )
    outward = tmp_path / "outward.zip"
    exchange_export(actor=SYSTEM, target="public", destination=outward)
    with zipfile.ZipFile(outward) as archive:
        carried = archive.read("manifest.json").decode()
    assert "submissions.intake_access" in carried and code.replace("-", "") not in carried
    assert public_site.import_bundle(outward).returncode == 0
    assert public_site.count(IntakeAccess) == 1
    (public_site.data_dir / "photo.png").write_bytes(png())

    result = public_site.dangwu("shell", "--no-imports", "-c", PUBLIC_SCRIPT % {"code": code})

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.split("@@", 1)[1])
    assert report["status"] == 200
    assert (report["before"], report["after"], report["files"]) == (1, 0, 0)
    assert report["stored"] == []  # the photo's file is gone too
    assert public_site.count(IntakeItem) == 0

    settings.EXCHANGE_PUBLIC_KEY = public_site.data_dir / "own.pub"
    inward = public_site.data_dir / "inward.zip"
    exchange_import(actor=SYSTEM, bundle=inward)

    item = Submission.objects.get()
    assert item.channel == Channel.PUBLIC_INTAKE
    assert item.organization == world.orgs["org1"]
    assert item.status == SubmissionStatus.SUBMITTED
    assert item.contact_phone_masked == "138****1111"
    assert item.files.get().content_type == "image/png"
    from dangwu.exchange.bundle import BundleRefused

    with pytest.raises(BundleRefused):  # a replay changes nothing
        exchange_import(actor=SYSTEM, bundle=inward)
    assert Submission.objects.count() == 1
