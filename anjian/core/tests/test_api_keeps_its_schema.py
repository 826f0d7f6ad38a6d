"""The API keeps its own OpenAPI schema: schemathesis drives every operation of /api/ in-process (Django's WSGI
handler, inside the test database's transaction) as the district's safety office with a token, and finds no
server error, no undocumented status code and no response that breaks its documented schema.

Bounded for CI: a fixed seed and derandomized generation (every run sends the same requests), a handful of
examples per operation, no Hypothesis database on disk, uploads under a temporary MEDIA_ROOT. The world is built
once for the module (the cast, a place with an enterprise, a checklist, a completed inspection, hazards found,
noticed and verified, a suspension order and a closure request, accidents with and without a sector, one with its
investigation and evidence, a campaign with tasks, risk assessments, major hazard installations, a notification)
and every operation's writes are rolled back after it. Path ids are drawn from the rows of that resource (in
and out of the caller's scope) or generated, and ids in request bodies from the rows of the world, so the
operations answer with data as well as errors. About 3,000 requests for the 89 operations, 1–3 minutes.
"""

from __future__ import annotations

import atexit
import datetime
import json
import shutil
import tempfile

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import TestCase, override_settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
READ_EXAMPLES = 10  # and the coverage phase's cases
WRITE_EXAMPLES = 25

# Hypothesis caches what it learns of the code (from collection on) in a temporary directory, not the work tree.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="anjian-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

# The schema as /api/schema/ serves it (the same generator; loading it through the view would need a login before
# the database exists, at collection time).
SPEC = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261,
        "generation": {"max-examples": READ_EXAMPLES, "deterministic": True, "database": "none"},
        # The coverage phase (each enum value, boundaries, each wrong type and missing parameter) for the reads and
        # their filters; the writes' bodies are fuzzed only: their coverage cases run to a thousand per operation.
        "phases": {"coverage": {"unexpected-methods": []}},
        "operations": [
            {
                "include-method": ["POST", "PUT", "PATCH"],
                "phases": {"coverage": {"enabled": False}},
                "generation": {"max-examples": WRITE_EXAMPLES},
            }
        ],
    }
)
schema = schemathesis.openapi.from_dict(SPEC, config=CONFIG)
schema.app = WSGIHandler()

# Filled by the `office_token` fixture with the world: the ids the generated requests draw from.
IDS: dict[str, list] = {}


class InTestTransaction:
    """Django's request signals close the connection whose autocommit differs from the settings' (as it does
    inside the test's transaction); the test client detaches that handler for its requests, and so does this."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _build_world() -> str:
    from anjian.accidents import services as accident_services
    from anjian.accidents.models import Accident, Investigation
    from anjian.accidents.tests.test_record_pages import record
    from anjian.accounts.models import User
    from anjian.accounts.services import create_user, issue_api_token
    from anjian.accounts.testing import build_cast
    from anjian.core import notifications
    from anjian.inspections import services as loop
    from anjian.inspections.models import Campaign, ChecklistTemplate, EnforcementAction, Hazard, Inspection
    from anjian.inspections.models import InspectionTask as Task
    from anjian.inspections.testing import found_hazard, loop_place, photo, short_checklist
    from anjian.organizations.models import OrgUnit, Sector
    from anjian.registry.models import Site
    from anjian.risk.models import HazardousSubstance, MajorHazardSource, RiskAssessment
    from anjian.risk.tests.assessments import assess
    from anjian.risk.tests.installation_places import build_places

    cast = build_cast()
    office = cast.safety_officer
    place = loop_place(cast)
    checklist = short_checklist(cast)
    hazards = [found_hazard(cast, place, checklist=checklist, seed=n) for n in (1, 2)]
    major = found_hazard(cast, place, major=True, checklist=checklist, seed=3)
    in_ten_days = timezone.localdate() + datetime.timedelta(days=10)
    for hazard in hazards:
        loop.issue_notice(actor=office, hazard=hazard, deadline=in_ten_days)
    # One hazard all the way round the loop: rectified with a photo by the enterprise, verified by the office.
    loop.submit_rectification(actor=cast.enterprise, hazard=hazards[0], description="已整改", photos=[photo(4)])
    loop.verify(actor=office, hazard=hazards[0], note="复查合格")
    # A completed inspection: every item answered.
    visit = loop.start_inspection(actor=cast.inspector, site=place, checklist=checklist)
    for item in checklist.items.all():
        loop.record_answer(
            actor=cast.inspector, inspection=visit, item=item, result="compliant", note="", photos=[photo(5)]
        )
    loop.complete_inspection(actor=cast.inspector, inspection=visit)
    loop.order_suspension(actor=office, hazard=major, reason="重大隐患未整改")
    loop.request_closure(actor=office, hazard=major, reason="拒不整改")
    today = timezone.localdate()
    installations = build_places(cast)
    assess(cast, place, "red")
    assess(cast, installations.east, "yellow")
    assess(cast, installations.far, "blue", actor=cast.far_safety_officer)
    campaign = loop.create_campaign(
        actor=office,
        name="危化品专项检查",
        kind="special",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=30),
        sectors=[Sector.objects.get(code="hazchem")],
    )
    loop.generate_campaign_tasks(actor=office, campaign=campaign)
    accident = record(cast, site=place)
    investigation = accident_services.open_investigation(
        actor=office, accident=accident, lead_unit=cast.safety_office, team="调查组"
    )
    accident_services.record_cause(actor=office, investigation=investigation, cause="违章作业", report="调查报告")
    accident_services.add_evidence(
        actor=office,
        investigation=investigation,
        kind="persons",
        person="张三",
        sanction="警告",
        decided_by="区安办",
        decided_on=today,
    )
    accident_services.add_evidence(actor=office, investigation=investigation, kind="measures", description="整改",
                                   hazard=hazards[0])  # fmt: skip
    accident_services.add_evidence(
        actor=office, investigation=investigation, kind="education", held_on=today, subject="警示教育",
        audience="全体员工", attendees=30,
    )  # fmt: skip
    record(cast, hours_ago=30, territory=cast.other_street)
    record(cast, hours_ago=50, category="road_traffic", sector=None, accident_type="vehicle")
    create_user(actor=None, username="mailed", real_name="有邮箱", org_unit=cast.safety_office, role="safety_office",
                email="mailed@example.gov.cn", must_change_password=False)  # fmt: skip
    notifications.notify(recipients=[office], about=hazards[0], kind="hazard", title="隐患待复查", url="/hazards/")
    token = issue_api_token(user=office).key

    def ids(queryset, limit=6):
        return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])

    IDS.clear()
    IDS.update(
        {
            "sites": ids(Site.objects.all()),
            "org-units": ids(OrgUnit.objects.all(), 20),
            "sectors": ids(Sector.objects.all(), 20),
            "users": ids(User.objects.all(), 20),
            "notifications": ids(notifications.Notification.objects.all()),
            "checklists": ids(ChecklistTemplate.objects.all()),
            "campaigns": ids(Campaign.objects.all()),
            "tasks": ids(Task.objects.all()),
            "inspections": ids(Inspection.objects.all()),
            "hazards": ids(Hazard.objects.all()),
            "enforcement": ids(EnforcementAction.objects.all()),
            "accidents": ids(Accident.objects.all()),
            "investigations": ids(Investigation.objects.all()),
            "risk-assessments": ids(RiskAssessment.objects.all()),
            "risk-thresholds": [cast.district.pk, cast.other_district.pk],
            "risk-ranking": [cast.district.pk, cast.street.pk, cast.far_street.pk],
            "major-hazard-sources": ids(MajorHazardSource.objects.all()),
            "substances": ids(HazardousSubstance.objects.all(), 3),
        }
    )
    # Ids a request body names, by field: the rows of the world.
    IDS["body"] = {
        "site": IDS["sites"],
        "checklist": IDS["checklists"],
        "task": IDS["tasks"],
        "hazard": IDS["hazards"],
        "item": ids(checklist.items.all()),
        "assignee": IDS["users"],
        "inspectors": IDS["users"],
        "territory": [cast.street.pk, cast.other_street.pk, cast.far_street.pk],
        "district": [cast.district.pk, cast.other_district.pk],
        "org_unit": IDS["org-units"],
        "parent": IDS["org-units"],
        "lead_unit": [cast.safety_office.pk, cast.emergency.pk],
    }
    return token


@pytest.fixture(scope="module")
def office_token(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once inside a transaction rolled back at the module's end; the office's API token.
    The services keep the photos they store in a temporary directory."""
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media)),
        InTestTransaction(),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        # The services' notifications wait for a commit that never comes here; they are not what is tested.
        with TestCase.captureOnCommitCallbacks(execute=False):
            token = _build_world()
        yield token
        transaction.set_rollback(True)


def _resource(path: str) -> str:
    return path.removeprefix("/api/").split("/", 1)[0]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """A path id is one of the resource's rows (in or out of the caller's scope) or the generated one."""
    known = IDS.get(_resource(context.operation.path)) or []
    if not known or not path_parameters:
        return st.just(path_parameters)
    name = next(iter(path_parameters))
    return st.one_of(
        st.sampled_from(known).map(lambda pk: {**path_parameters, name: pk}),
        st.just(path_parameters),
    )


@schema.hook
def flatmap_body(context, body):
    """Ids in a JSON or form body (site, hazard, assignee …) are often rows of the world, so writes get past
    "no such object" to the service's own checks."""
    if not isinstance(body, dict):
        return st.just(body)
    named = {field: IDS["body"][field] for field in body if field in IDS.get("body", {})}
    if not named:
        return st.just(body)

    def pick(field):
        choice = st.sampled_from(named[field])
        return st.lists(choice, max_size=2) if isinstance(body[field], list) else choice

    replaced = st.fixed_dictionaries({field: pick(field) for field in named}).map(lambda ids: {**body, **ids})
    return st.one_of(replaced, st.just(body))


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_keeps_its_schema(case, office_token):
    case.call_and_validate(headers={"Authorization": f"Token {office_token}"}, checks=CHECKS)
