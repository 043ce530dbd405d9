"""Loads the shipped reference data; used by the data migration (with historical models)
and by tests that run after a database flush (with the current ones)."""

from .regions import FEDERAL_CITIES, REGIONS


def load_regions(apps):
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
