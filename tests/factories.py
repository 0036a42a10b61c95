from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import DEFAULT_REGION, User
from directory.models import Store


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    default_region = DEFAULT_REGION
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def passphrase(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if extracted:
            obj.set_passphrase(extracted)
        if create:
            obj.save()


class StoreFactory(factory.django.DjangoModelFactory):
    """A store named as the product names one (`Store.set_name`): pass `store_name`, never `normalized_name`."""

    class Meta:
        model = Store

    user = factory.SubFactory(UserFactory)
    store_name = factory.Sequence(lambda n: f"Store {n}")
    phone_e164 = factory.Sequence(lambda n: f"+1415555{n % 10000:04d}")
    phone_original = factory.LazyAttribute(lambda o: o.phone_e164)
    created_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _build(cls, model_class: type[Store], *args: Any, **kwargs: Any) -> Store:
        if "normalized_name" in kwargs:
            raise TypeError("StoreFactory sets normalized_name from store_name; pass store_name only.")
        store: Store = super()._build(model_class, *args, **kwargs)
        store.set_name(store.store_name)
        return store

    @classmethod
    def _create(cls, model_class: type[Store], *args: Any, **kwargs: Any) -> Store:
        store = cls._build(model_class, *args, **kwargs)
        store.save(force_insert=True)
        return store
