from django.conf import settings
from django.db import migrations, models

from haicap.core.migration_ops import AddIndexWithoutLocking


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY may not run in a transaction

    dependencies = [
        ("catalog", "0001_initial"),
        ("dossiers", "0006_worked_days"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("outcome", "")),
                fields=["competent_agency", "due_at"],
                name="dossier_open_by_agency",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("outcome", "")),
                fields=["receiving_agency", "due_at"],
                name="dossier_open_by_desk",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("finished_at__isnull", True), ("paused_at__isnull", False)),
                fields=["competent_agency", "procedure", "channel"],
                name="dossier_paused",
            ),
        ),
        AddIndexWithoutLocking(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("finished_at__isnull", True), ("paused_at__isnull", True)),
                fields=["due_at"],
                include=("competent_agency", "procedure", "channel"),
                name="dossier_running_by_due",
            ),
        ),
    ]
