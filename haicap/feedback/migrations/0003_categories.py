"""The categories a province starts with (the issue's list), each answered within 10 working
days from receipt: the national time limit was not found (domain.md section 6); 10 working days
is Ninh Bình's rule (163/2025/QĐ-CT Art. 18), the one found. The province edits them as data."""

from django.db import migrations

CATEGORIES = (
    # code, Vietnamese name, English name, about dossiers, keywords
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính, hồ sơ", "An administrative procedure or a dossier", True, "hồ sơ, thủ tục, một cửa"),
    ("dat-dai", "Đất đai", "Land", False, "đất, lấn chiếm, sổ đỏ"),
    ("xay-dung", "Xây dựng", "Construction", False, "xây dựng, công trình, giấy phép"),
    ("moi-truong", "Môi trường, rác thải", "Environment and waste", False, "rác, ô nhiễm, nước thải"),
    ("an-ninh-trat-tu", "An ninh, trật tự", "Order and security", False, "trật tự, tiếng ồn, an ninh"),
    ("ha-tang", "Hạ tầng", "Infrastructure", False, "đường, điện, cầu, cống"),
    ("khac", "Khác", "Other", False, ""),
)


def seed(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    for position, (code, name, name_en, about_dossiers, keywords) in enumerate(CATEGORIES, 1):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "about_dossiers": about_dossiers,
                "keywords": keywords,
                "legal_working_days": 10,
                "routes_to": "commune",
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_petition_events_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
