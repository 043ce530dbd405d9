from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    RatingFormula = apps.get_model("ratings", "RatingFormula")
    RatingFormula.objects.get_or_create(
        version=1,
        defaults={
            "window_days": 365,
            "weight_speed": Decimal("0.5"),
            "weight_quality": Decimal("0.5"),
            "prior_speed": 10,
            "prior_quality": 10,
            "min_sample": 10,
            "note": "Defaults of the specification.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
