"""A new hub starts with the four sectors it serves, as data the admin can change."""

from django.db import migrations

SECTORS = [
    ("industry", "Industrie", "Industry"),
    ("health", "Gesundheitswesen", "Health care"),
    ("insurance", "Versicherungen", "Insurance"),
    ("other", "Weitere Branchen", "Other sectors"),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("contact", "Sector")
    for order, (slug, name_de, name_en) in enumerate(SECTORS):
        Sector.objects.get_or_create(
            slug=slug, defaults={"name_de": name_de, "name_en": name_en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("contact", "0002_organisation_kinds_and_segment")]

    # removing the migration keeps the sectors: inquiries and experts may point to them
    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
