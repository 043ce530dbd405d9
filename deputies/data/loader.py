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


def load_places(apps):
    """The places under each region's centre (deputies/data/places.py), then the
    invented places folded into their real namesake or the centre. Idempotent; a
    handful of queries per region, since the test fixture runs it after a flush."""
    from .places import CENTRE_CODES, INVENTED, english, places_of

    Region = apps.get_model("deputies", "Region")
    Municipality = apps.get_model("deputies", "Municipality")
    centres = {m.region_id: m for m in Municipality.objects.filter(is_admin_centre=True)}
    existing = {}
    for m in Municipality.objects.filter(parent__isnull=False):
        existing[(m.parent_id, m.name)] = m
    # Places at the top without a code, other than the centres: invented or hand-made.
    loose = {}
    for m in Municipality.objects.filter(parent__isnull=True, is_admin_centre=False, oktmo=""):
        loose.setdefault(m.region_id, []).append(m)
    for region in Region.objects.order_by("code"):
        centre = centres.get(region.pk)
        if centre is None:
            continue
        code = centre.oktmo or CENTRE_CODES.get(region.code, "")
        if (centre.kind, centre.oktmo) != ("city", code):
            Municipality.objects.filter(pk=centre.pk).update(kind="city", oktmo=code)
        real = {}
        level = [(centre, places_of(region.code))]
        unnamed = []
        while level:
            new, placed = [], []
            for parent, tree in level:
                for name, kind, oktmo, children in tree:
                    place = existing.get((parent.pk, name))
                    if place is None:
                        place = Municipality(
                            region=region,
                            parent=parent,
                            name=name,
                            name_en=english(name),
                            kind=kind,
                            oktmo=oktmo,
                        )
                        new.append(place)
                    elif not place.name_en:
                        place.name_en = english(name)
                        unnamed.append(place)
                    placed.append((place, children))
                    real.setdefault(name, place)
            if new:
                Municipality.objects.bulk_create(new)
            level = [(place, children) for place, children in placed if children]
        if unnamed:
            Municipality.objects.bulk_update(unnamed, ["name_en"])
        for old in loose.get(region.pk, ()):
            target = real.get(old.name) or (centre if old.name in INVENTED else None)
            if target is not None:
                _merge(apps, old, target)


def _merge(apps, old, target):
    """Moves what points at `old` to `target`, then deletes `old`."""
    Appeal = apps.get_model("appeals", "Appeal")
    Body = apps.get_model("deputies", "Body")
    Through = apps.get_model("deputies", "District").municipalities.through
    Appeal.objects.filter(municipality=old).update(municipality=target)
    Body.objects.filter(municipality=old).update(municipality=target)
    covered = Through.objects.filter(municipality=target).values("district_id")
    Through.objects.filter(municipality=old, district_id__in=covered).delete()
    Through.objects.filter(municipality=old).update(municipality=target)
    old.delete()
