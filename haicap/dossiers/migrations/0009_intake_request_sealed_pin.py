from django.db import migrations, models


class Migration(migrations.Migration):
    """The retried intake's PIN sealed, not in plain text, and the request's fingerprint kept.

    PINs stored in plain text before are dropped with their column: a retry of an intake made
    before the upgrade gets its dossier without the PIN (the slip is reprinted with a new one).
    Requests recorded before have no fingerprint ("") and are taken as before.
    """

    dependencies = [("dossiers", "0008_fewer_indexes")]

    operations = [
        migrations.RemoveField(model_name="intakerequest", name="pin"),
        migrations.AddField(
            model_name="intakerequest",
            name="pin_sealed",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="intakerequest",
            name="request_digest",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
    ]
