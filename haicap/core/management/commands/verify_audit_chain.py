from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from haicap.core import append_only
from haicap.core.audit import HEAD_ID, verify_chain
from haicap.core.models import AuditChainHead, AuditRecord


class Command(BaseCommand):
    help = (
        "Check every link of the audit log's hash chain and name the first broken one. Note the "
        "head it prints somewhere outside haicap; --expect-head SEQ:HASH later proves that the "
        "log up to that point was not rewritten, even by someone who could rehash it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--expect-head", metavar="SEQ:HASH", help="a head noted earlier")

    def handle(self, *args: object, **options: object) -> None:
        problems = append_only.differences(connection)
        if problems:
            raise CommandError(
                "the audit log's append-only triggers are missing or changed: "
                + "; ".join(problems)
                + "; re-create them (haicap/core/append_only.py) and find out who"
            )
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"audit chain broken at record {broken.seq}: {broken.reason}")
        if options["expect_head"]:
            self._check_noted_head(str(options["expect_head"]))
        head = AuditChainHead.objects.get(pk=HEAD_ID)
        count = AuditRecord.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} records"))
        self.stdout.write(f"head: {head.last_seq}:{head.last_hash}")

    def _check_noted_head(self, noted: str) -> None:
        seq_text, _, digest = noted.partition(":")
        if not seq_text.isdigit() or len(digest) != 64:
            raise CommandError("--expect-head takes SEQ:HASH as printed by this command")
        record = AuditRecord.objects.filter(seq=int(seq_text)).first()
        if record is None or record.hash != digest:
            raise CommandError(
                f"record {seq_text} no longer has the hash noted earlier: the log was rewritten"
            )
