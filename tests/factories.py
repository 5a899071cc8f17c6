"""factory_boy factories for the core model."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from cma.customers import models as cm
from cma.policy.models import BusinessArea
from cma.staff.models import Role, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    state = "NSW"
    business_area = factory.LazyFunction(lambda: BusinessArea.objects.get(code="mainstream"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_AU")
    last_name = factory.Faker("last_name", locale="en_AU")
    role = Role.SERVICE_OFFICER
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Customer

    crn = factory.Sequence(lambda n: f"{600000000 + n:09d}A")
    given_names = factory.Faker("first_name", locale="en_AU")
    family_name = factory.Faker("last_name", locale="en_AU")
    date_of_birth = date(1985, 3, 14)
    role = "payer"
    state = "NSW"
    country = "AU"
    address_line = factory.Faker("street_address", locale="en_AU")
    locality = factory.Faker("city", locale="en_AU")
    postcode = "2150"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Case

    case_number = factory.Sequence(lambda n: f"C{4000000 + n:07d}")
    payer = factory.SubFactory(CustomerFactory, role="payer")
    payee = factory.SubFactory(CustomerFactory, role="payee")
    started_on = date(2022, 1, 10)


class AccountSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.AccountSummary

    case = factory.SubFactory(CaseFactory)
    ongoing_liability = 450
    arrears = 1200
    last_payment_date = date(2026, 10, 1)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Child

    case = factory.SubFactory(CaseFactory)
    given_names = factory.Faker("first_name", locale="en_AU")
    family_name = factory.LazyAttribute(lambda o: o.case.payee.family_name)
    date_of_birth = date(2018, 6, 1)


class AuthorisedRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.AuthorisedRepresentative

    name = factory.Faker("name", locale="en_AU")
    organisation = "Legal Aid Commission"
    phone = "+61255501234"


class RepresentativeAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.RepresentativeAuthority

    representative = factory.SubFactory(AuthorisedRepresentativeFactory)
    customer = factory.SubFactory(CustomerFactory)
    starts_on = date(2025, 7, 1)


class AlternativeContactFactory(factory.django.DjangoModelFactory):
    """Current for the next century unless `ends_on` says otherwise (CON-7)."""

    class Meta:
        model = cm.AlternativeContact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name", locale="en_AU")
    role = "sibling"
    phone = "+61491570111"
    ends_on = date(2099, 12, 31)


class ContactDetailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ContactDetail

    customer = factory.SubFactory(CustomerFactory)
    kind = "mobile"
    number = factory.Sequence(lambda n: f"+6149157{n % 1000:04d}")
    is_preferred = False
