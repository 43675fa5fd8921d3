"""What the deadline sweep needs so that a sweep with nothing to do reads nothing: when to look
at a running dossier again and the due moment that was worked out for; partial indexes on its
candidates and on the PINs still kept. Built without locking on PostgreSQL, as 0007 does."""

from django.conf import settings
from django.db import migrations, models

from haicap.core.migration_ops import AddIndexWithoutLocking


RUNNING = (("finished_at__isnull", True), ("paused_at__isnull", True))


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY may not run in a transaction

    dependencies = [
        ("catalog", "0004_result_name"),
        ("dossiers", "0019_signature_checks"),
        ("units", "0004_alter_agencyduty_duty"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="look_again_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dossier",
            name="looked_for_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("finished_at__isnull", True),
                    ("overdue_since__isnull", True),
                    ("paused_at__isnull", True),
                ),
                fields=["due_at"],
                name="dossier_running_unmarked",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    *RUNNING,
                    models.Q(
                        ("looked_for_due_at__isnull", True),
                        models.Q(("looked_for_due_at", models.F("due_at")), _negated=True),
                        _connector="OR",
                    ),
                ),
                fields=["due_at"],
                name="dossier_running_unlooked",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("finished_at__isnull", True),
                    ("look_again_at__isnull", False),
                    ("paused_at__isnull", True),
                ),
                fields=["look_again_at"],
                name="dossier_look_again",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("finished_at__isnull", True), ("paused_at__isnull", False)),
                fields=["paused_at"],
                name="dossier_paused_since",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="intakerequest",
            index=models.Index(
                condition=models.Q(("pin_sealed", ""), _negated=True),
                fields=["created_at"],
                name="intake_pin_kept",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="onlinesubmission",
            index=models.Index(
                condition=models.Q(("pin_sealed", ""), _negated=True),
                fields=["submitted_at"],
                name="submission_pin_kept",
            ),
        ),
    ]
