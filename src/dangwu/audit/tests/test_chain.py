"""Tamper evidence: the database refuses changes, and the MAC chain shows any that slip past."""

from importlib import import_module
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.accounts.services import user_create
from dangwu.audit.models import AppendOnlyError, AuditRecord
from dangwu.audit.services import audit_chain_head_matches, audit_chain_verify, audit_record

triggers = import_module("dangwu.audit.migrations.0002_append_only_triggers")


def run_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_triggers(*, installed: bool) -> None:
    """Run the migration's own forward or reverse statements."""
    install, remove = triggers.STATEMENTS[connection.vendor]
    for sql in install if installed else remove:
        run_sql(sql)


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic():
            run_sql(sql, params)
    except IntegrityError as exc:
        assert "append-only" in str(exc)
        return True
    return False


@pytest.fixture
def trail(db) -> list[AuditRecord]:
    return [audit_record(actor=SYSTEM, action="test.event", details={"n": n}) for n in range(5)]


def test_chain_verifies_after_many_records(db):
    for n in range(600):
        audit_record(actor=SYSTEM, action="test.event", details={"n": n, "text": "中文"})

    assert audit_chain_verify() is None
    assert audit_chain_head_matches()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "600 records" in out.getvalue()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditrecord SET action = 'test.innocent' WHERE id = %s",
        "UPDATE audit_auditrecord SET success = NOT success WHERE id = %s",
        "UPDATE audit_auditrecord SET mac = mac WHERE id = %s",
        "DELETE FROM audit_auditrecord WHERE id = %s",
    ],
)
def test_database_refuses_changing_or_deleting_a_record(trail, sql):
    target = trail[2]

    assert refused(sql, [target.pk])

    assert AuditRecord.objects.get(pk=target.pk).action == "test.event"
    assert audit_chain_verify() is None


def test_database_refuses_pinning_a_record_on_another_account(trail, db):
    other = user_create(actor=SYSTEM, username="someone", password="Abc#12345")

    assert refused(
        "UPDATE audit_auditrecord SET actor_id = %s WHERE id = %s", [other.pk, trail[0].pk]
    )


def test_model_and_queryset_refuse_changes(trail):
    record = trail[0]
    record.action = "test.innocent"

    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(action="x")


def test_deleting_an_account_keeps_its_records_and_the_chain(db):
    user = user_create(actor=SYSTEM, username="leaver", password="Abc#12345")
    audit_record(actor=user, action="test.event")

    User.objects.filter(pk=user.pk).delete()

    record = AuditRecord.objects.get(action="test.event")
    assert record.actor_id is None
    assert record.actor_name == "leaver"
    assert audit_chain_verify() is None


def test_verify_names_a_record_changed_behind_the_triggers(trail):
    set_triggers(installed=False)
    run_sql("UPDATE audit_auditrecord SET actor_name = 'nobody' WHERE id = %s", [trail[3].pk])

    assert audit_chain_verify() == trail[3].pk
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode != 0
    assert f"record {trail[3].pk} " in str(failure.value)


def test_verify_notices_a_record_removed_from_the_middle(trail):
    set_triggers(installed=False)
    run_sql("DELETE FROM audit_auditrecord WHERE id = %s", [trail[1].pk])

    assert audit_chain_verify() == trail[2].pk


def test_verify_notices_records_removed_from_the_end(trail):
    set_triggers(installed=False)
    run_sql("DELETE FROM audit_auditrecord WHERE id >= %s", [trail[3].pk])

    assert audit_chain_verify() is None  # every remaining MAC is fine...
    assert not audit_chain_head_matches()  # ...but the head remembers the longer chain
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_trigger_migration_reverses_and_reapplies(trail):
    set_triggers(installed=False)
    assert not refused("UPDATE audit_auditrecord SET address = 'x' WHERE id = %s", [trail[0].pk])

    set_triggers(installed=True)
    assert refused("UPDATE audit_auditrecord SET address = 'y' WHERE id = %s", [trail[0].pk])


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_keeps_the_triggers():
    audit_record(actor=SYSTEM, action="test.event")

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditRecord.objects.exists()
    record = audit_record(actor=SYSTEM, action="test.event")
    assert refused("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    assert audit_chain_verify() is None
