from django.db import migrations


def load(apps, schema_editor):
    from deputies.data.regions import FEDERAL_CITIES, REGIONS

    Region = apps.get_model("deputies", "Region")
    Municipality = apps.get_model("deputies", "Municipality")
    Body = apps.get_model("deputies", "Body")
    for code, name, name_en, centre, centre_en in REGIONS:
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en}
        )
        municipality, _ = Municipality.objects.update_or_create(
            region=region,
            name=centre,
            defaults={"name_en": centre_en, "is_admin_centre": True},
        )
        Body.objects.get_or_create(
            region=region,
            level="regional",
            defaults={
                "name": f"Законодательное собрание — {name}",
                "name_en": f"Legislative Assembly — {name_en}",
            },
        )
        if code not in FEDERAL_CITIES:
            Body.objects.get_or_create(
                region=region,
                level="municipal",
                municipality=municipality,
                defaults={
                    "name": f"Городской совет — {centre}",
                    "name_en": f"City Council — {centre_en}",
                },
            )


class Migration(migrations.Migration):
    dependencies = [("deputies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
