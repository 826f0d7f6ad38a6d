"""Storage settings of the places table that the risk recompute relies on (migration 0003)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_keeps_free_room_in_the_places_pages_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("fillfactor is a PostgreSQL storage parameter")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'registry_site'")
        (options,) = cursor.fetchone()
    assert "fillfactor=70" in (options or [])
