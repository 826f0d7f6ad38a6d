"""factory_boy factories for units a test needs of its own, beyond the cast's (anjian.core.testing)."""

from __future__ import annotations

import factory

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A unit made through the service, which derives its district, city and path and records its audit entry;
    a street unless told otherwise (pass ``parent``)."""

    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"测试街道{n}")
    kind = OrgUnitKind.STREET

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from anjian.organizations.services import create_org_unit

        return create_org_unit(actor=None, **kwargs)
