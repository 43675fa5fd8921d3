from django.db import migrations


def to_duties(apps, schema_editor):
    """Each staffing authority becomes its agency's staffing duty (``units.AgencyDuty``)."""
    authority = apps.get_model("staffing", "StaffingAuthority")
    duty = apps.get_model("units", "AgencyDuty")
    for agency_id in authority.objects.values_list("agency_id", flat=True):
        duty.objects.get_or_create(agency_id=agency_id, duty="staffing")


def to_authorities(apps, schema_editor):
    authority = apps.get_model("staffing", "StaffingAuthority")
    duty = apps.get_model("units", "AgencyDuty")
    for agency_id in duty.objects.filter(duty="staffing").values_list("agency_id", flat=True):
        authority.objects.get_or_create(agency_id=agency_id)


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0003_plan_requests"),
        ("units", "0002_agency_duties"),
    ]

    operations = [
        migrations.RunPython(to_duties, to_authorities),
        migrations.DeleteModel(name="StaffingAuthority"),
    ]
