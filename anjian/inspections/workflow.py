"""The hazard workflow as one explicit transition table (DESIGN.md: "Workflows are explicit").

reported → fixed on the spot (after-photo) → verified;
reported → rectification notice issued → rectifying → submitted for verification → verified,
or rejected with a reason back to rectifying. An enterprise that found a hazard itself (企业自查) may
commit to a deadline instead of waiting for a notice. Closing the place closes its open hazards.

Escalation (挂牌督办) and enforcement (停产停业整顿、提请关闭) are not states of the hazard: they are
records on it and on the place, so a hazard under escalated supervision is still "rectifying".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.inspections.choices import HazardStatus as S


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
            "reject",
            gettext_lazy("Reject: back to rectifying"),
            frozenset({S.SUBMITTED, S.FIXED_ON_SPOT}),
            S.RECTIFYING,
        ),
        Transition(
            "close_with_site",
            gettext_lazy("Closed with the place"),
            frozenset({S.REPORTED, S.FIXED_ON_SPOT, S.NOTICE_ISSUED, S.RECTIFYING, S.SUBMITTED}),
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
