"""Accounts: names and phones, committee and federal staff, their authenticators, citizens."""

from datetime import timedelta

from accounts.models import User
from accounts.otp import STAFF_ROLES, demo_authenticators_create
from demo import texts
from deputies.models import CommitteeMembership

from .common import DEMO_DOMAIN, DEMO_TOTP_SECRET, demo_email


class PeopleSeeding:
    """DemoSeeder's steps for accounts; needs the regions PlacesSeeding loads."""

    def _person(self):
        rng = self.rng
        surname = rng.choice(texts.SURNAMES)
        stem, suffix = rng.choice(texts.PATRONYMIC_STEMS)
        if rng.random() < 0.5:
            return f"{surname} {rng.choice(texts.MALE_FIRST)} {stem}{suffix}ич", "m"
        female_suffix = "ев" if suffix == "ев" else "ов"
        return f"{surname}а {rng.choice(texts.FEMALE_FIRST)} {stem}{female_suffix}на", "f"

    def _user(self, email, full_name, role, joined):
        return User(
            email=email,
            full_name=full_name,
            phone=f"+7 9{self.rng.randint(10, 99)} {self.rng.randint(100, 999)}-"
            f"{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}",
            role=role,
            password=self.password,
            date_joined=joined,
            email_confirmed_at=joined,
        )

    def _staff(self):
        joined = self.now - timedelta(days=420)
        users, memberships = [], []
        moscow = next((r for r in self.regions if r.code == "77"), self.regions[0])
        for region in self.regions:
            full_name, _ = self._person()
            email = demo_email("committee", region.code)
            if region.pk == moscow.pk:
                email = demo_email("committee")
            user = self._user(email, full_name, "committee", joined)
            users.append(user)
            memberships.append(CommitteeMembership(user=user, region=region, position="Аналитик"))
        federal_name, _ = self._person()
        users.append(self._user(demo_email("federal"), federal_name, "federal", joined))
        admin = self._user(demo_email("admin"), "Администратор демо", "admin", joined)
        admin.is_staff = admin.is_superuser = True
        users.append(admin)
        User.objects.bulk_create(users)
        CommitteeMembership.objects.bulk_create(memberships)

    def _authenticators(self):
        """Staff sign in with a second factor; the demo's all share the documented key."""
        staff = User.objects.filter(
            email__endswith="@" + DEMO_DOMAIN, role__in=sorted(STAFF_ROLES)
        ).values_list("pk", flat=True)
        demo_authenticators_create(user_ids=list(staff), secret=DEMO_TOTP_SECRET)

    def _citizens(self):
        rng = self.rng
        regions = [r.pk for r in self.regions]
        weights = [self.region_weight[pk] for pk in regions]
        home = rng.choices(regions, weights=weights, k=self.n_citizens)
        users = []
        for n in range(self.n_citizens):
            full_name, _ = self._person()
            joined = self.now - timedelta(days=rng.uniform(400, 430))
            email = demo_email("citizen") if n == 0 else demo_email("citizen", f"{n:07d}")
            users.append(self._user(email, full_name, "citizen", joined))
        User.objects.bulk_create(users, batch_size=2000)
        self.citizens = [(u.pk, region_id) for u, region_id in zip(users, home, strict=True)]
        self.counts.citizens = len(users)
