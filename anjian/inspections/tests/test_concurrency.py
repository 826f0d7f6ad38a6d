"""Two verifications of one hazard at the same moment: exactly one wins (select_for_update)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from anjian.accounts.testing import build_cast
from anjian.core.models import AuditEntry
from anjian.inspections import services
from anjian.inspections.choices import HazardStatus
from anjian.inspections.models import Hazard
from anjian.inspections.testing import found_hazard, loop_place, photo
from anjian.inspections.workflow import TransitionError


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_verifications_give_one_result_and_one_clear_refusal():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole write transactions instead")
    from anjian.organizations.services import ensure_sectors

    ensure_sectors()
    cast = build_cast()
    site = loop_place(cast)
    hazard = found_hazard(cast, site)
    services.issue_notice(
        actor=cast.street_officer,
        hazard=hazard,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        legal_basis="《消防法》",
    )
    services.submit_rectification(actor=cast.enterprise, hazard=hazard, description="已整改", photos=[photo(2)])
    before = AuditEntry.objects.filter(action="inspections.hazard.transition", object_id=str(hazard.pk)).count()

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def verify_as(name, user):
        try:
            barrier.wait(timeout=10)
            services.verify(actor=user, hazard=hazard, note=name)
            results[name] = "ok"
        except TransitionError as exc:
            results[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=verify_as, args=("street", cast.street_officer)),
        threading.Thread(target=verify_as, args=("department", cast.department_officer)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    outcomes = sorted(results.values(), key=lambda r: r == "ok")
    assert len(outcomes) == 2 and outcomes[1] == "ok" and isinstance(outcomes[0], TransitionError)
    assert outcomes[0].code == "conflict"
    assert "someone else" in outcomes[0].messages[0] or "他人" in outcomes[0].messages[0]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.VERIFIED
    after = AuditEntry.objects.filter(action="inspections.hazard.transition", object_id=str(hazard.pk)).count()
    assert after - before == 1
