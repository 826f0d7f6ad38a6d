"""factory_boy factories for accounts a test needs of its own, beyond the cast's (anjian.core.testing)."""

from __future__ import annotations

import factory

from anjian.accounts.models import User
from anjian.accounts.testing import CAST_PASSWORD
from anjian.organizations.tests.factories import OrgUnitFactory


class UserFactory(factory.django.DjangoModelFactory):
    """An account made through the service (role, scope, audit entry), with the cast's password and no change of
    password due; a street officer of a new street unless told otherwise."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.LazyAttribute(lambda account: f"{account.username}姓名")
    role = "street_officer"
    org_unit = factory.SubFactory(OrgUnitFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from anjian.accounts.services import create_user

        kwargs.setdefault("password", CAST_PASSWORD)
        kwargs.setdefault("must_change_password", False)
        account, _password = create_user(actor=None, **kwargs)
        return account
