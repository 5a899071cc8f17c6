"""Factories for work management."""

import factory

from cma.policy.models import IntrayType
from cma.work.models import Intray
from tests.factories import CustomerFactory


class IntrayFactory(factory.django.DjangoModelFactory):
    """An open intray owned by `owner_user` (set one owner when using it)."""

    class Meta:
        model = Intray

    customer = factory.SubFactory(CustomerFactory)
    type = factory.LazyFunction(lambda: IntrayType.objects.get(code="general-follow-up"))
    priority = factory.LazyAttribute(lambda o: o.type.priority)
    due_on = factory.Faker("date_between", start_date="+1d", end_date="+20d")
