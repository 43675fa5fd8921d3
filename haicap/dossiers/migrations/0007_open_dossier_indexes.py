from django.conf import settings
from django.db import migrations, models


class AddIndexWithoutLocking(migrations.AddIndex):
    """CONCURRENTLY on PostgreSQL, so desks go on writing dossiers while it builds."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, self.index, concurrently=True)
        else:
            schema_editor.add_index(model, self.index)


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
