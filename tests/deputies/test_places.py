"""Real places (issue 21): the reference data the migrations ship, the OKTMO loader,
and the invented places folded into real ones."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from appeals.models import Appeal
from deputies.data.loader import load_places
from deputies.data.regions import REGIONS
from deputies.models import Body, District, Municipality
from tests.factories import AppealFactory, DeputyFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "oktmo_sample.csv"
Kind = Municipality.Kind


def places(region_code, **filters):
    return Municipality.objects.filter(region__code=region_code, **filters)


def test_the_federal_cities_have_their_real_structure():
    spb = places("78", kind=Kind.DISTRICT)
    assert spb.count() == 18
    admiralteysky = spb.get(name="Адмиралтейский район")
    assert admiralteysky.parent.name == "Санкт-Петербург"
    assert "муниципальный округ Коломна" in {c.name for c in admiralteysky.children.all()}
    assert places("78", kind=Kind.INTRACITY).count() >= 100

    assert places("77", kind=Kind.ADMIN_OKRUG).count() == 12
    assert places("77", kind=Kind.DISTRICT).count() == 125
    tverskoy = places("77").get(name="Тверской район")
    assert (tverskoy.oktmo, tverskoy.parent.name) == (
        "45382000",
        "Центральный административный округ",
    )
    assert places("92", kind=Kind.DISTRICT).count() == 4
    assert places("92", parent__name="Балаклавский район").count() == 4


def test_every_region_has_its_centre_and_the_big_cities_their_districts():
    centres = dict(
        Municipality.objects.filter(is_admin_centre=True).values_list("region__code", "name")
    )
    assert centres == {code: centre for code, _n, _e, centre, _c in REGIONS}
    assert len(centres) == 89
    for code, count in {"54": 10, "66": 8, "16": 7, "52": 8, "63": 9, "23": 4}.items():
        assert places(code, kind=Kind.CITY_DISTRICT, parent__is_admin_centre=True).count() == count
    assert places("54", is_admin_centre=True).get().oktmo == "50701000"


def test_load_oktmo_reads_the_classifier_file_and_is_idempotent(capsys):
    call_command("load_oktmo", str(SAMPLE))
    out = capsys.readouterr().out
    assert "Done: 4 created" in out

    # A region's centre and the federal cities' units get their codes by name.
    assert places("22", is_admin_centre=True).get().oktmo == "01701000"
    kolomna = places("78").get(name="муниципальный округ Коломна")
    assert (kolomna.oktmo, kolomna.parent.name) == ("40303000", "Адмиралтейский район")
    assert places("78").get(oktmo="40302000").name == "муниципальный округ Адмиралтейский округ"
    assert places("77").get(oktmo="45305000").name == "Восточный район"
    assert places("92").get(oktmo="67312000").name == "Гагаринский муниципальный округ"
    # An autonomous okrug numbered inside its oblast's block goes to its own region.
    assert places("86", is_admin_centre=True).get().oktmo == "71871000"
    # New places keep the classifier's tree; settlements (section 2) are not read.
    aleysky = places("22").get(oktmo="01601000")
    assert aleysky.kind == Kind.MUNICIPAL_DISTRICT
    assert {c.name for c in aleysky.children.all()} == {
        "Безголосовский сельсовет",
        "Дружбинский сельсовет",
    }
    assert places("77").get(oktmo="45399000").parent.name == "Москва"

    count = Municipality.objects.count()
    call_command("load_oktmo", str(SAMPLE), verbosity=0)
    assert Municipality.objects.count() == count
    assert "0 created, 0 given their code, 15 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        ('"01";"601";"000"\n'.encode("cp1251"), "Line 1: 3 columns"),
        ('"01";"6x1";"000";"000";"1";"1";"Район"\n'.encode("cp1251"), "not an OKTMO code"),
        (b"<html>not a classifier</html>\n", "No municipal formations found"),
    ],
)
def test_load_oktmo_explains_a_bad_file(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("load_oktmo", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_oktmo", str(tmp_path / "missing.csv"))


def test_invented_places_fold_into_their_real_namesake_or_the_centre():
    deputy = DeputyFactory(region_code="54")
    region = deputy.region
    invented = Municipality.objects.create(region=region, name="Ленинский район")
    made_up = Municipality.objects.create(region=region, name="Заречный район")
    kept = Municipality.objects.create(region=region, name="Бердск")
    appeals = [AppealFactory(deputy=deputy, municipality=m) for m in (invented, made_up)]
    district = District.objects.create(body=deputy.body, name="Округ № 1", number=1)
    district.municipalities.add(invented, made_up)
    council = Body.objects.create(
        region=region, level="municipal", municipality=made_up, name="Совет Заречного района"
    )

    load_places(apps)

    real = places("54").get(name="Ленинский район", parent__name="Новосибирск")
    centre = places("54").get(is_admin_centre=True)
    assert [Appeal.objects.get(pk=a.pk).municipality for a in appeals] == [real, centre]
    assert set(district.municipalities.all()) == {real, centre}
    council.refresh_from_db()
    assert council.municipality == centre
    assert not Municipality.objects.filter(pk__in=[invented.pk, made_up.pk]).exists()
    assert Municipality.objects.filter(pk=kept.pk).exists()
