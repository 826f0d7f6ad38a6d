"""The hazard workflow as one explicit transition table (DESIGN.md: "Workflows are explicit").

reported → fixed on the spot (after-photo) → verified;
reported → rectification notice issued → rectifying → submitted for verification → verified,
or rejected with a reason back to rectifying. A hazard under escalated supervision (挂牌督办; every major hazard
is) closes in two steps instead of "verified": verified on site by the supervising department (photos and the
verifier's position at the place) → the safety office lifts the supervision (摘牌) → verified and closed.
An enterprise that found a hazard itself (企业自查) may commit to a deadline instead of waiting for a notice.
Closing the place closes its open hazards (and lifts their supervision).

Escalation (挂牌督办) and enforcement (停产停业整顿、提请关闭) are not states of the hazard: they are
records on it and on the place, so a hazard under escalated supervision is still "rectifying".

:data:`HAZARD_ACTIONS` is the one table of what a user can do with a hazard, page and API alike: each row names
the step, its form, its input serializer, its service and who may take it now. A new step is one row here plus
its service (and its form and serializer); the page, the API and the actions offered follow from the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.permissions import (
    has_write_scope,
    is_enterprise,
    lifts_escalated_supervision,
    verifies_major_hazards_on_site,
)
from anjian.inspections.choices import ClosureDecision, EnforcementKind
from anjian.inspections.choices import HazardStatus as S
from anjian.registry.choices import SiteStatus


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    # Who may take it: "government" (an officer with the hazard in editable scope), "enterprise"
    # (the place's own account), or both.
    government: bool = True
    enterprise: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "fix_on_spot", gettext_lazy("Fixed on the spot"), frozenset({S.REPORTED}), S.FIXED_ON_SPOT, True, True
        ),
        Transition(
            "issue_notice", gettext_lazy("Issue a rectification notice"), frozenset({S.REPORTED}), S.NOTICE_ISSUED
        ),
        Transition(
            "commit",
            gettext_lazy("Commit to rectify by a deadline"),
            frozenset({S.REPORTED}),
            S.RECTIFYING,
            False,
            True,
        ),
        Transition(
            "acknowledge",
            gettext_lazy("Acknowledge the notice"),
            frozenset({S.NOTICE_ISSUED}),
            S.RECTIFYING,
            True,
            True,
        ),
        Transition(
            "submit",
            gettext_lazy("Submit the rectification for verification"),
            frozenset({S.NOTICE_ISSUED, S.RECTIFYING}),
            S.SUBMITTED,
            True,
            True,
        ),
        Transition("verify", gettext_lazy("Verify and close"), frozenset({S.SUBMITTED, S.FIXED_ON_SPOT}), S.VERIFIED),
        Transition(
            "verify_on_site",
            gettext_lazy("Verify on site"),
            frozenset({S.SUBMITTED, S.FIXED_ON_SPOT}),
            S.VERIFIED_ON_SITE,
        ),
        Transition(
            "lift_supervision",
            gettext_lazy("Lift the escalated supervision and close"),
            frozenset({S.VERIFIED_ON_SITE}),
            S.VERIFIED,
        ),
        Transition(
            "reject",
            gettext_lazy("Reject: back to rectifying"),
            frozenset({S.SUBMITTED, S.FIXED_ON_SPOT}),
            S.RECTIFYING,
        ),
        Transition(
            "close_with_site",
            gettext_lazy("Closed with the place"),
            frozenset({S.REPORTED, S.FIXED_ON_SPOT, S.NOTICE_ISSUED, S.RECTIFYING, S.SUBMITTED, S.VERIFIED_ON_SITE}),
            S.CLOSED_WITH_SITE,
            False,
            False,
        ),
    )
}


class TransitionError(ValidationError):
    """A move the table does not allow from the current state (or that someone else just made)."""


def allowed_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and (t.government or t.enterprise)]


def check(action: str, current: str) -> Transition:
    """The transition for ``action`` from ``current``, or a clear error naming the state and the way out."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown")
    if current not in transition.sources:
        allowed = "、".join(str(t.label) for t in allowed_from(current)) or _("none: the hazard is closed")
        if current == transition.target:
            # The same move just made by someone else: a conflict, not a mistake of the user.
            raise TransitionError(
                _("This hazard is already “%(current)s”: someone else has just done this. Reload to see it.")
                % {"current": S(current).label},
                code="conflict",
            )
        raise TransitionError(
            _("A hazard that is “%(current)s” cannot be moved by “%(action)s”; allowed now: %(allowed)s.")
            % {"current": S(current).label, "action": transition.label, "allowed": allowed},
            code="forbidden",
        )
    return transition


def refusal(transition: Transition, *, enterprise: bool, hazard) -> str:
    """Why this side may not take this transition of this hazard ("" when it may): the enterprise acts only as
    the place, fixing on the spot or committing to a deadline only for what it found itself."""
    if enterprise:
        if not transition.enterprise:
            return _("An enterprise account cannot do this.")
        if transition.action == "commit" and not hazard.self_reported:
            return _("The supervisor sets the deadline of a hazard it found: wait for the notice.")
        if transition.action == "fix_on_spot" and not hazard.self_reported:
            # An on-the-spot fix of what an inspector found is recorded by the inspector who saw it.
            return _("The inspector who found this hazard records a fix on the spot.")
    elif not transition.government:
        return _("Only the enterprise can do this.")
    return ""


def closes_by_lifting(hazard) -> bool:
    """A major hazard, or one under escalated supervision, is not closed by a plain verification: it is verified
    on site and closed when the safety office lifts the supervision (摘牌), so no closed hazard keeps the tag."""
    return hazard.is_major or hazard.is_escalated


# A major hazard's rectification plan is filed while the hazard awaits rectification (STANDARDS §5).
PLAN_STATUSES = frozenset({S.REPORTED, S.NOTICE_ISSUED, S.RECTIFYING})


def in_hand(hazard) -> bool:
    """Open and not yet verified: what escalation and enforcement act on (a hazard verified on site awaits only
    the lifting of its supervision)."""
    return hazard.is_open and hazard.status != S.VERIFIED_ON_SITE


def suspension_grounds(hazard) -> str:
    """Why a place may be ordered to suspend operations over this hazard ("" when it may not):
    a major hazard while it cannot guarantee safety; a second failed verification; refusing to rectify
    (still overdue under escalated supervision)."""
    if not in_hand(hazard):
        return ""
    if hazard.is_major:
        return _("major hazard not yet rectified")
    if hazard.rejection_count >= 2:
        return _("failed verification %(count)s times") % {"count": hazard.rejection_count}
    if hazard.is_escalated and hazard.is_overdue:
        return _("still overdue under escalated supervision")
    return ""


# --- the hazard actions: one table for the page and the API ----------------------------------------------


@dataclass(frozen=True)
class Offer:
    """What decides whether a step is offered: the user and their side, the hazard, who submitted the
    rectification awaiting verification, and the (kind, decision) of the place's enforcement actions (None when
    the caller cannot afford that query: suspension is then offered only for an operating place)."""

    user: object
    hazard: object
    enterprise: bool
    pending_submitter_id: int | None
    site_actions: list[tuple[str, str]] | None

    def moves(self, action: str) -> bool:
        """The transition is allowed from the hazard's state and to the user's side."""
        transition = TRANSITIONS[action]
        return self.hazard.status in transition.sources and not refusal(
            transition, enterprise=self.enterprise, hazard=self.hazard
        )

    @property
    def officer_on_open_hazard(self) -> bool:
        return not self.enterprise and in_hand(self.hazard)

    @property
    def own_submission(self) -> bool:
        return self.pending_submitter_id == self.user.pk

    @property
    def may_verify_on_site(self) -> bool:
        """A major hazard is verified on site by the supervising department (STANDARDS §5); another hazard under
        escalated supervision by any officer in scope. Never by whoever submitted the rectification."""
        return (
            self.moves("verify_on_site")
            and closes_by_lifting(self.hazard)
            and not self.own_submission
            and (not self.hazard.is_major or verifies_major_hazards_on_site(self.user))
        )

    @property
    def may_lift(self) -> bool:
        """摘牌 by the district's safety office, by someone other than the officer who verified on site."""
        return (
            self.moves("lift_supervision")
            and lifts_escalated_supervision(self.user, district_id=self.hazard.district_id)
            and self.hazard.verified_by_id != self.user.pk
        )

    @property
    def suspended_by_order(self) -> bool:
        kinds = {kind for kind, _decision in self.site_actions} if self.site_actions is not None else None
        return self.hazard.site.status == SiteStatus.SUSPENDED and (
            kinds is None or EnforcementKind.SUSPENSION in kinds
        )

    @property
    def closure_pending(self) -> bool:
        return self.site_actions is not None and any(
            kind == EnforcementKind.CLOSURE and decision == ClosureDecision.PENDING
            for kind, decision in self.site_actions
        )


def _may_suspend(offer: Offer) -> bool:
    site_status = offer.hazard.site.status
    return (
        offer.officer_on_open_hazard
        and bool(suspension_grounds(offer.hazard))
        and (
            site_status == SiteStatus.OPERATING
            or (site_status == SiteStatus.SUSPENDED and not offer.suspended_by_order)
        )
    )


@dataclass(frozen=True)
class HazardAction:
    """One thing a user can do with a hazard. ``name`` is the page's URL segment (…/hazards/<pk>/<name>/) and
    the API's action; ``segment`` its API URL segment (POST /api/hazards/<pk>/<segment>/). ``form`` (the page),
    ``serializer`` (the API) and ``service`` are names in :mod:`anjian.inspections.forms`,
    :mod:`anjian.inspections.api.serializers` and :mod:`anjian.inspections.services`, resolved when used so this
    module stays below them. The service is called with the actor, the hazard and the form's or serializer's
    cleaned data as keywords, and decides every request itself; ``may`` only says whether the step is offered."""

    name: str
    service: str
    form: str
    serializer: str
    may: Callable[[Offer], bool]
    done: str  # what the page says once the step is done
    description: str  # the API's documentation of the step
    segment: str = ""
    multipart: bool = False  # photos come with it

    @property
    def url_segment(self) -> str:
        return self.segment or self.name

    @property
    def service_function(self) -> Callable:
        return import_string(f"anjian.inspections.services.{self.service}")

    @property
    def form_class(self):
        return import_string(f"anjian.inspections.forms.{self.form}")

    @property
    def serializer_class(self):
        return import_string(f"anjian.inspections.api.serializers.{self.serializer}")

    def run(self, *, actor, hazard, data: dict):
        return self.service_function(actor=actor, hazard=hazard, **data)


# In the order of the loop: the order in which the steps are offered.
HAZARD_ACTIONS: dict[str, HazardAction] = {
    a.name: a
    for a in (
        HazardAction(
            "fix_on_spot",
            service="fix_on_spot",
            form="FixOnSpotForm",
            serializer="FixOnSpotSerializer",
            # STANDARDS §5: a major hazard is rectified under a plan, never 即查即改.
            may=lambda o: o.moves("fix_on_spot") and not o.hazard.is_major,
            done=gettext_lazy("The fix on the spot was recorded; it awaits verification by someone else."),
            description="即查即改: fixed while the inspector is there, with a description and an after-photo.",
            segment="fix-on-spot",
            multipart=True,
        ),
        HazardAction(
            "issue_notice",
            service="issue_notice",
            form="IssueNoticeForm",
            serializer="IssueNoticeSerializer",
            may=lambda o: o.moves("issue_notice"),
            done=gettext_lazy("The rectification notice was issued."),
            description="整改通知书: a numbered notice with its deadline, legal basis and requirements.",
            segment="issue-notice",
        ),
        HazardAction(
            "commit",
            service="commit_to_deadline",
            form="CommitForm",
            serializer="CommitSerializer",
            may=lambda o: o.moves("commit"),
            done=gettext_lazy("The deadline was set."),
            description="An enterprise commits to fix by a date what it found itself.",
        ),
        HazardAction(
            "acknowledge",
            service="acknowledge_notice",
            form="AcknowledgeForm",
            serializer="NoteSerializer",
            may=lambda o: o.moves("acknowledge"),
            done=gettext_lazy("The notice was acknowledged."),
            description="签收: the place has received the notice and is rectifying.",
        ),
        HazardAction(
            "plan",
            service="file_plan",
            form="PlanForm",
            serializer="PlanInputSerializer",
            may=lambda o: o.hazard.is_major and o.hazard.status in PLAN_STATUSES,
            done=gettext_lazy("The rectification plan was filed."),
            description="The rectification plan of a major hazard: six elements and the funds.",
        ),
        HazardAction(
            "submit",
            service="submit_rectification",
            form="SubmitForm",
            serializer="SubmitSerializer",
            may=lambda o: o.moves("submit"),
            done=gettext_lazy("The rectification was submitted for verification."),
            description="The place reports the hazard fixed, with what was done, the cost and after-photos.",
            multipart=True,
        ),
        HazardAction(
            "verify",
            service="verify",
            form="VerifyForm",
            serializer="NoteSerializer",
            # Nobody verifies their own work.
            may=lambda o: o.moves("verify") and not o.own_submission and not closes_by_lifting(o.hazard),
            done=gettext_lazy("The hazard was verified and closed."),
            description="复查验收: closes the loop; never by whoever submitted the rectification. "
            "Not for a major hazard or one under escalated supervision (verify_on_site, then lift_supervision).",
        ),
        HazardAction(
            "verify_on_site",
            service="verify_on_site",
            form="VerifyOnSiteForm",
            serializer="VerifyOnSiteSerializer",
            may=lambda o: o.may_verify_on_site,
            done=gettext_lazy(
                "The on-site verification was recorded; the safety office lifts the escalated supervision to close it."
            ),
            description="现场复查验收 of a major hazard or one under escalated supervision: photos and the verifier's "
            "position at the place (both required for a major hazard, verified by its supervising department); "
            "the hazard then awaits 摘牌.",
            segment="verify-on-site",
            multipart=True,
        ),
        HazardAction(
            "lift_supervision",
            service="lift_supervision",
            form="LiftSupervisionForm",
            serializer="NoteSerializer",
            may=lambda o: o.may_lift,
            done=gettext_lazy("The escalated supervision was lifted: the hazard is closed."),
            description="摘牌: the district safety office lifts the escalated supervision of a hazard verified on site "
            "and closes it; never by the officer who verified it.",
            segment="lift-supervision",
        ),
        HazardAction(
            "reject",
            service="reject",
            form="RejectForm",
            serializer="RejectSerializer",
            may=lambda o: o.moves("reject") and not o.own_submission,
            done=gettext_lazy("The rectification was rejected: the hazard is back to rectifying."),
            description="Verification failed: back to rectifying with the reason (and a deadline if there was none).",
        ),
        HazardAction(
            "escalate",
            service="escalate",
            form="EscalateForm",
            serializer="EscalateSerializer",
            may=lambda o: o.officer_on_open_hazard,
            done=gettext_lazy("The hazard was placed under escalated supervision."),
            description="挂牌督办: a named responsible official and a new deadline.",
        ),
        HazardAction(
            "suspend",
            service="order_suspension",
            form="SuspendForm",
            serializer="ReasonSerializer",
            may=_may_suspend,
            done=gettext_lazy("The suspension order was issued; the place is suspended."),
            description="责令停产停业整顿: the place is suspended. "
            "Needs grounds: major, failed twice, overdue under escalation.",
        ),
        HazardAction(
            "request_closure",
            service="request_closure",
            form="ClosureRequestForm",
            serializer="ReasonSerializer",
            may=lambda o: o.officer_on_open_hazard and o.suspended_by_order and not o.closure_pending,
            done=gettext_lazy("The closure request was sent to the safety office."),
            description="提请关闭: for a place under a suspension order; the safety office decides.",
            segment="request-closure",
        ),
    )
}


def available_actions(
    user, hazard, *, pending_submitter_id: int | None, site_actions: list[tuple[str, str]] | None = None
) -> list[str]:
    """The names of the steps the user may take with the hazard now, in the order of the loop: the one rule
    the page and the API both show (the services themselves still decide every request). Nothing for a user
    who sees nothing or only reads."""
    if not has_write_scope(user):
        return []
    offer = Offer(
        user=user,
        hazard=hazard,
        enterprise=is_enterprise(user),
        pending_submitter_id=pending_submitter_id,
        site_actions=site_actions,
    )
    return [name for name, step in HAZARD_ACTIONS.items() if step.may(offer)]
