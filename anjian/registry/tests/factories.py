"""factory_boy factories for enterprises and places a test needs of its own (``make_site`` in
anjian.registry.testing builds a place through the service with its sectors)."""

from __future__ import annotations

import factory

from anjian.registry.models import Enterprise
from anjian.registry.testing import credit_code


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An enterprise with a valid credit code of its own (numbered from 9000, clear of the codes tests spell out)."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: credit_code(9000 + n))

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        """``EnterpriseFactory(accounts=[user])`` links enterprise accounts."""
        if create and extracted:
            self.accounts.add(*extracted)
