from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import User
from directory.models import Store
from directory.trigrams import normalize_name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    default_region = "US"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def passphrase(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if extracted:
            obj.set_passphrase(extracted)
        if create:
            obj.save()


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    user = factory.SubFactory(UserFactory)
    store_name = factory.Sequence(lambda n: f"Store {n}")
    normalized_name = factory.LazyAttribute(lambda o: normalize_name(o.store_name))
    phone_e164 = factory.Sequence(lambda n: f"+1415555{n % 10000:04d}")
    phone_original = factory.LazyAttribute(lambda o: o.phone_e164)
    created_at = factory.LazyFunction(timezone.now)
