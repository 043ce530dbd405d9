"""Factories keep related objects consistent: a deputy sits in its body's region, an
appeal's deputy in the appeal's region."""

from datetime import timedelta

import factory
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from appeals.models import Appeal, Topic
from appeals.search import document as search_document
from deputies.models import Body, CommitteeMembership, Deputy, Municipality, Region


def region(code="77"):
    """Regions are reference data loaded by migrations, not made by factories."""
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="ru_RU")
    role = User.Role.CITIZEN
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password("correct-horse-42")


class CitizenFactory(UserFactory):
    pass


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.LazyFunction(region)
    name = factory.Sequence(lambda n: f"Муниципальный округ {n}")


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    class Params:
        region_code = "77"

    full_name = factory.Faker("name", locale="ru_RU")
    region = factory.LazyAttribute(lambda o: region(o.region_code))
    body = factory.LazyAttribute(
        lambda o: Body.objects.filter(region=o.region, level=Body.Level.REGIONAL).first()
    )
    faction = "Фракция «Народный выбор»"
    user = factory.SubFactory(UserFactory, role=User.Role.DEPUTY)


class CommitteeUserFactory(UserFactory):
    role = User.Role.COMMITTEE

    class Params:
        region_code = "77"

    membership = factory.RelatedFactory(
        "tests.factories.CommitteeMembershipFactory",
        factory_related_name="user",
        region=factory.LazyAttribute(lambda o: region(o.factory_parent.region_code)),
    )


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    user = factory.SubFactory(UserFactory, role=User.Role.COMMITTEE)
    region = factory.LazyFunction(region)


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal
        skip_postgeneration_save = True

    citizen = factory.SubFactory(CitizenFactory)
    deputy = factory.SubFactory(DeputyFactory)
    region = factory.LazyAttribute(lambda o: o.deputy.region if o.deputy else region())
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="housing"))
    subject = "Не работает лифт"
    text = "Прошу помочь с ремонтом лифта в доме."
    status = factory.LazyAttribute(
        lambda o: Appeal.Status.ASSIGNED if o.deputy else Appeal.Status.SUBMITTED
    )
    number = factory.Sequence(lambda n: f"77-2026-{n + 1:06d}")
    registered_at = factory.LazyFunction(timezone.now)
    clock_started_at = factory.LazyAttribute(lambda o: o.registered_at)
    assigned_at = factory.LazyAttribute(lambda o: o.registered_at if o.deputy else None)
    deadline = factory.LazyAttribute(
        lambda o: timezone.localdate(o.registered_at) + timedelta(days=30)
    )
    consent_at = factory.LazyAttribute(lambda o: o.registered_at)
    consent_version = factory.LazyFunction(lambda: settings.PERSONAL_DATA_CONSENT_VERSION)
    # Written by the filing services; a factory-made appeal must be findable too.
    search_lemmas = factory.LazyAttribute(
        lambda o: search_document(o.number, o.subject, o.text, getattr(o, "address", ""))
    )

    @factory.post_generation
    def count_open(obj, create, extracted, **kwargs):
        # The services keep this counter; a factory-made appeal must too.
        if create and obj.deputy_id and obj.status in Appeal.OPEN_STATUSES:
            Deputy.objects.filter(pk=obj.deputy_id).update(open_appeals=F("open_appeals") + 1)
