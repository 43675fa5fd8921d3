from django.db import migrations


def to_registry(apps, schema_editor):
    """The travel times move to the registry (``units.TravelTime``), which assets read too."""
    old = apps.get_model("staffing", "TravelTime")
    new = apps.get_model("units", "TravelTime")
    new.objects.bulk_create(
        [new(one_id=t.one_id, other_id=t.other_id, minutes=t.minutes) for t in old.objects.all()],
        batch_size=2000,
    )


def from_registry(apps, schema_editor):
    old = apps.get_model("staffing", "TravelTime")
    new = apps.get_model("units", "TravelTime")
    old.objects.bulk_create(
        [old(one_id=t.one_id, other_id=t.other_id, minutes=t.minutes) for t in new.objects.all()],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0004_authority_as_agency_duty"),
        ("units", "0003_travel_times"),
    ]

    operations = [
        migrations.RunPython(to_registry, from_registry),
        migrations.DeleteModel(name="TravelTime"),
    ]
