"""The regions' real places (shipped reference data), their single-member districts,
and the deputies."""

import itertools
from datetime import timedelta

from accounts.models import User
from deputies.models import Body, Deputy, District, Municipality, Region

from .common import demo_email

# Regions that get three times the deputies and citizens of the others.
BIG_REGIONS = {
    "77",
    "50",
    "78",
    "23",
    "66",
    "16",
    "02",
    "61",
    "52",
    "74",
    "54",
    "63",
    "24",
    "59",
    "36",
    "34",
    "26",
    "38",
    "05",
}
# A region whose deputies do not accept appeals: shows the committee's unassigned queue.
QUIET_REGION = "87"
FACTION = "Фракция «Народный выбор»"


class PlacesSeeding:
    """DemoSeeder's steps for places and deputies; needs _person and _user from PeopleSeeding."""

    def _places(self):
        self.regions = list(Region.objects.order_by("code"))
        self.region_weight = {r.pk: 3 if r.code in BIG_REGIONS else 1 for r in self.regions}
        places = list(Municipality.objects.order_by("region_id", "-is_admin_centre", "name", "pk"))
        self.places = {m.pk: m for m in places}
        parents = {m.parent_id for m in places}
        # Appeals come from the smallest places (a St Petersburg unit, a Moscow district,
        # a city district; a centre without districts is itself the smallest).
        self.municipalities = {}
        for m in places:
            if m.pk not in parents:
                self.municipalities.setdefault(m.region_id, []).append(m)
        # Electoral districts cover the centre's parts: St Petersburg's 18 districts,
        # Moscow's okrugs, a city's districts; a centre without parts, the centre.
        self.district_places = {}
        for m in places:
            centre_parts = m.parent_id is not None and self.places[m.parent_id].is_admin_centre
            if centre_parts or (m.is_admin_centre and m.pk not in parents):
                self.district_places.setdefault(m.region_id, []).append(m)
        self.bodies = {}
        for body in Body.objects.order_by("region_id", "level"):
            self.bodies.setdefault(body.region_id, {})[body.level] = body

    def _covering_district(self, place, covered):
        """The district covering the place or the nearest place it is part of."""
        while place is not None:
            if place.pk in covered:
                return covered[place.pk]
            place = self.places.get(place.parent_id)
        return None

    def _deputies(self):
        rng = self.rng
        per_region = dict.fromkeys((r.pk for r in self.regions), 0)
        regions = [r.pk for r in self.regions]
        weights = [self.region_weight[pk] for pk in regions]
        if self.n_deputies >= len(regions):
            for pk in regions:
                per_region[pk] = 1
            rest = self.n_deputies - len(regions)
        else:
            rest = self.n_deputies
        for pk in rng.choices(regions, weights=weights, k=rest):
            per_region[pk] += 1

        districts = []
        for region in self.regions:
            regional = self.bodies[region.pk]["regional"]
            for number, municipality in enumerate(self.district_places[region.pk], start=1):
                districts.append(
                    (
                        District(
                            body=regional,
                            name=f"Одномандатный избирательный округ № {number}",
                            name_en=f"Single-member constituency No. {number}",
                            number=number,
                        ),
                        municipality,
                    )
                )
        District.objects.bulk_create([d for d, _ in districts])
        District.municipalities.through.objects.bulk_create(
            [
                District.municipalities.through(district_id=d.pk, municipality_id=m.pk)
                for d, m in districts
            ]
        )
        free_districts = {}
        for d, _ in districts:
            free_districts.setdefault(d.body.region_id, []).append(d)

        joined = self.now - timedelta(days=420)
        deputies, users = [], []
        number = itertools.count(1)
        for region in self.regions:
            bodies = self.bodies[region.pk]
            for _ in range(per_region[region.pk]):
                full_name, _sex = self._person()
                n = next(number)
                municipal = "municipal" in bodies and rng.random() < 0.6
                district = None
                if not municipal and free_districts[region.pk]:
                    district = free_districts[region.pk].pop(0)
                user = self._user(demo_email("deputy", f"{n:05d}"), full_name, "deputy", joined)
                users.append(user)
                deputies.append(
                    Deputy(
                        full_name=full_name,
                        region=region,
                        body=bodies["municipal" if municipal else "regional"],
                        district=district,
                        faction=FACTION,
                        accepts_appeals=region.code != QUIET_REGION and rng.random() > 0.02,
                        bio="Член постоянной комиссии по социальной политике. Приём граждан "
                        "по вторникам.",
                    )
                )
        if users:
            users[0].email = demo_email("deputy")
        User.objects.bulk_create(users, batch_size=1000)
        for deputy, user in zip(deputies, users, strict=True):
            deputy.user = user
        Deputy.objects.bulk_create(deputies, batch_size=1000)
        self.counts.deputies = len(deputies)

        self.deputies_by_region = {}
        for deputy in deputies:
            if deputy.accepts_appeals:
                self.deputies_by_region.setdefault(deputy.region_id, []).append(deputy)
        # Some deputies work better than others, so the rating has something to show.
        self.diligence = {d.pk: rng.uniform(0.25, 1.0) for d in deputies}
        self.popularity = {}
        for region_id, group in self.deputies_by_region.items():
            cumulative = list(itertools.accumulate(rng.lognormvariate(0, 0.6) for _ in group))
            self.popularity[region_id] = cumulative
        self.district_deputy = {}
        for deputy in deputies:
            if deputy.district_id and deputy.accepts_appeals:
                self.district_deputy[deputy.district_id] = deputy
        covered = {
            m_id: d_id
            for d_id, m_id in District.municipalities.through.objects.filter(
                district__body__region__in=self.regions
            ).values_list("district_id", "municipality_id")
        }
        self.municipality_district = {
            place.pk: self._covering_district(place, covered)
            for group in self.municipalities.values()
            for place in group
        }
