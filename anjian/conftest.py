import os

import pytest

from anjian.core.testing import build_cast


@pytest.fixture
def cast(db):
    """The fixed cast of users and units (see anjian.core.testing)."""
    return build_cast()


@pytest.fixture
def client_for(client):
    """A test client logged in as the given user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
