"""Cross-layer hooks. A lower app (DESIGN.md layers) cannot import a higher one, so when a write changes
something a higher app derives from it, the service sends one of these signals from
``transaction.on_commit`` and the higher app recomputes. They carry ids only; receivers must be cheap or
queue a task, and a failing receiver must not undo the committed write.
"""

from __future__ import annotations

from django.dispatch import Signal

# A place's risk inputs changed: an open or overdue major hazard, an overdue rectification, an accident with
# deaths, a status change. Keyword argument: ``site_ids`` (a list of Site primary keys).
site_risk_inputs_changed = Signal()

# The chemical units or inventory of a place changed (GB 18218 identification must be redone).
# Keyword argument: ``site_ids``.
chemical_inventory_changed = Signal()
