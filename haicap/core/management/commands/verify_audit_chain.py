from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from haicap.core import append_only
from haicap.core.audit import verify_anchors, verify_chain, write_anchor
from haicap.core.models import AUDIT_ANCHORS, AuditAnchor, AuditRecord


class Command(BaseCommand):
    help = (
        "Check every link of the audit log's hash chains and of the anchors that tie them "
        "together, and name the first broken one. It first writes an anchor of every chain's "
        "head; note the head it prints (that anchor) somewhere outside haicap: --expect-head "
        "SEQ:HASH later proves that the log up to that point was not rewritten, even by someone "
        "who could rehash it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--expect-head", metavar="SEQ:HASH", help="a head noted earlier")

    def handle(self, *args: object, **options: object) -> None:
        problems = append_only.differences(connection) + AUDIT_ANCHORS.differences(connection)
        if problems:
            raise CommandError(
                "the audit log's append-only triggers are missing or changed: "
                + "; ".join(problems)
                + "; re-create them (haicap/core/append_only.py) and find out who"
            )
        # Anchored before checking, so the head printed covers only what was checked.
        anchor = write_anchor() or AuditAnchor.objects.order_by("-seq").first()
        broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"audit chain {broken.chain} broken at record {broken.seq}: {broken.reason}"
            )
        broken_anchor = verify_anchors()
        if broken_anchor is not None:
            raise CommandError(f"audit anchor {broken_anchor.seq} broken: {broken_anchor.reason}")
        if options["expect_head"]:
            self._check_noted_head(str(options["expect_head"]))
        count = AuditRecord.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {count} records"))
        if anchor is not None:
            self.stdout.write(f"head: {anchor.seq}:{anchor.hash}")

    def _check_noted_head(self, noted: str) -> None:
        seq_text, _, digest = noted.partition(":")
        if not seq_text.isdigit() or len(digest) != 64:
            raise CommandError("--expect-head takes SEQ:HASH as printed by this command")
        anchor = AuditAnchor.objects.filter(seq=int(seq_text)).first()
        if anchor is None or anchor.hash != digest:
            raise CommandError(
                f"anchor {seq_text} no longer has the hash noted earlier: the log was rewritten"
            )
