"""``dangwu import-orgs`` / ``dangwu import-members``: thin commands acting as the system."""

import io

import pytest
from django.core.management import CommandError, call_command

from dangwu.audit.models import AuditRecord
from dangwu.cli import ALIASES
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.tests.factories import member_row, members_csv, org_row, orgs_csv


def run(command: str, path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_console_names_map_to_the_commands():
    assert ALIASES == {"import-orgs": "import_orgs", "import-members": "import_members"}


def test_import_orgs_then_members_reports_the_counts(world, tmp_path):
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes(orgs_csv(org_row("A0103", "第三支部")))
    members = tmp_path / "members.csv"
    members.write_bytes(members_csv(member_row("命令甲", 1, org="A0103")))
    out, _err = run("import_orgs", orgs)
    assert "1 created, 0 updated, 0 unchanged" in out
    out, _err = run("import_members", members)
    assert "1 created" in out
    assert Member.objects.get(name="命令甲").organization.code == "A0103"
    assert AuditRecord.objects.filter(action="orgs.members_imported", actor_name="system").exists()


def test_a_rejected_file_prints_every_problem_and_fails(world, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(
        orgs_csv(org_row("A0103", "第三支部", parent="ZZ"), org_row("A0104", "", parent="A01"))
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_orgs", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "2" in lines[0] and "上级组织编码" in lines[0]
    assert "3" in lines[1] and "组织名称" in lines[1]
    assert not Organization.objects.filter(code__in=["A0103", "A0104"]).exists()


def test_a_missing_file_fails_with_a_message(world, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_members", tmp_path / "nope.xlsx")
