"""Closing a hazard under escalated supervision (挂牌督办; every major hazard is, STANDARDS §5): the supervising
department verifies it on site, with photos and the verifier's position at the place, then the district's safety
office, which hung the tag, lifts the supervision (摘牌) and the hazard is closed. A closed hazard never keeps the
tag: closing the place lifts it too (:func:`anjian.inspections.services.decide_closure`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.notifications import tell
from anjian.core.permissions import lifts_escalated_supervision, verifies_major_hazards_on_site
from anjian.inspections.choices import PhotoStage
from anjian.inspections.models import Hazard, Rectification, RectificationResult
from anjian.inspections.services.base import (
    _hazard_url,
    _lift_open_escalations,
    _move,
    _risk_inputs_changed,
)
from anjian.inspections.services.hazards import _check_verifier, _pending_rectification, _transition
from anjian.inspections.services.photos import store_photos
from anjian.inspections.workflow import TransitionError, closes_by_lifting
from anjian.organizations.geo import distance_m
from anjian.registry.selectors import answering_departments

# How far from the place's recorded point an on-site verification may stand, beyond the phone's stated accuracy:
# a large works or a park spans several hundred metres, and a place's point is often its gate.
ON_SITE_RADIUS_M = 1000


def distance_to_place(site, latitude, longitude) -> int | None:
    """Metres from the place's point to the position, or None when either is unknown."""
    if None in (site.latitude, site.longitude, latitude, longitude):
        return None
    return round(distance_m(site.latitude, site.longitude, latitude, longitude))


def _check_position(site, latitude, longitude, accuracy) -> int | None:
    if latitude is None or longitude is None:
        raise ValidationError(
            {"latitude": _("A major hazard is verified at the place: allow the phone to give your position.")}
        )
    distance = distance_to_place(site, latitude, longitude)
    if distance is not None and distance > ON_SITE_RADIUS_M + (accuracy or 0):
        raise ValidationError(
            {
                "latitude": _(
                    "Your position is %(distance)s m from the place: a major hazard is verified at the place."
                )
                % {"distance": f"{distance:,}"}
            }
        )
    return distance


@transaction.atomic
def verify_on_site(
    *,
    actor,
    hazard: Hazard,
    note: str = "",
    photos: Sequence = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    accuracy: int | None = None,
) -> Hazard:
    """现场复查验收 of a hazard that closes by lifting its supervision. A major hazard needs the supervising
    department (an officer of a department that answers for the hazard's sector at the place), photos taken at the
    verification and the verifier's position at the place; nobody verifies their own work. The hazard then awaits
    the safety office's 摘牌."""
    locked = _transition(actor, hazard, "verify_on_site")
    if not closes_by_lifting(locked):
        raise TransitionError(
            _("This hazard is not under escalated supervision: verify and close it."), code="forbidden"
        )
    rectification = _pending_rectification(locked)
    _check_verifier(actor, locked, rectification)
    distance = None
    if locked.is_major:
        place = (locked.site_id, locked.district_id, locked.sector_id)
        departments = answering_departments({locked.pk: place}).get(locked.pk, [])
        if not verifies_major_hazards_on_site(actor) or actor.org_unit_id not in departments:
            raise PermissionDenied(_("A major hazard is verified on site by the department that supervises it."))
        if not photos:
            raise ValidationError({"photos": _("Take at least one photo at the verification of a major hazard.")})
        distance = _check_position(locked.site, latitude, longitude, accuracy)
    elif not photos and not rectification.photos.exists():
        raise ValidationError(_("Verification needs at least one photo after the rectification."))
    if latitude is None or longitude is None:
        latitude = longitude = accuracy = None
    elif distance is None:
        distance = distance_to_place(locked.site, latitude, longitude)
    store_photos(actor=actor, uploads=list(photos), stage=PhotoStage.VERIFICATION, hazard=locked)
    Rectification.objects.filter(pk=rectification.pk).update(
        result=RectificationResult.ACCEPTED,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        review_note=note,
        review_latitude=latitude,
        review_longitude=longitude,
        review_accuracy=accuracy,
        review_distance=distance,
    )
    locked.verified_by = actor
    _move(
        locked,
        actor=actor,
        action="verify_on_site",
        note=note,
        data={"rectification": rectification.pk, "photos": len(photos), "distance": distance},
    )
    tell(
        "inspections.verified_on_site",
        about=locked,
        title=_("Verified on site, awaiting the lifting of escalated supervision: %(title)s")
        % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:verified_on_site:{rectification.pk}",
    )
    return locked


@transaction.atomic
def lift_supervision(*, actor, hazard: Hazard, note: str = "") -> Hazard:
    """摘牌: the district safety office lifts the escalated supervision of a hazard verified on site, which closes
    it. Signed off by someone other than the officer who verified it."""
    locked = _transition(actor, hazard, "lift_supervision")
    if not lifts_escalated_supervision(actor, district_id=locked.district_id):
        raise PermissionDenied(_("The district safety office lifts escalated supervision."))
    if locked.verified_by_id == actor.pk:
        raise PermissionDenied(_("You verified this hazard on site: another officer signs off the lifting."))
    now = timezone.now()
    _lift_open_escalations(locked, actor=actor, note=note, at=now)
    locked.closed_at = now
    _move(locked, actor=actor, action="lift_supervision", note=note)
    tell(
        "inspections.verified",
        about=locked,
        title=_("Hazard verified and closed: %(title)s") % {"title": locked.title[:60]},
        url=_hazard_url(locked),
        key=f"hazard:{locked.pk}:verified",
    )
    _risk_inputs_changed(locked.site_id)
    return locked
