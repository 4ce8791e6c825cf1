from django.core.management.base import BaseCommand, CommandError

from dangwu.audit.models import AuditRecord
from dangwu.audit.services import audit_chain_head_matches, audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit trail's HMAC-SM3 chain; exit non-zero naming the first broken record."

    def handle(self, *args, **options):
        broken = audit_chain_verify()
        if broken is not None:
            record = AuditRecord.objects.get(pk=broken)
            raise CommandError(
                f"Audit chain broken at record {record.pk} ({record}): it was changed, or a "
                "record before it was removed.",
                returncode=2,
            )
        if not audit_chain_head_matches():
            raise CommandError(
                "Audit chain head does not match the last record: records were removed from "
                "the end of the trail.",
                returncode=2,
            )
        count = AuditRecord.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} records verified."))
