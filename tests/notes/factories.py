"""Factories for the notes tests: parties with phone numbers and alternative contacts."""

from datetime import date

import factory

from cma.customers import models as cm
from tests.factories import CaseFactory, CustomerFactory


class ContactDetailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ContactDetail

    customer = factory.SubFactory(CustomerFactory)
    kind = "mobile"
    number = "+61412555019"
    is_preferred = True


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Child

    case = factory.SubFactory(CaseFactory)
    given_names = "Mia"
    family_name = "Mackenzie"
    date_of_birth = date(2016, 5, 2)


class AlternativeContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.AlternativeContact

    customer = factory.SubFactory(CustomerFactory)
    name = "Robyn Hale"
    role = "sister"
    phone = "+61398761234"
    ends_on = date(2030, 1, 1)
