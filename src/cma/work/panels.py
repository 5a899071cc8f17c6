"""Context for this app's panel on the customer page: who owns the customer (the lock,
or the owning area after an auto-unlock) and who owns each open piece of work (CMA-5).
The page already audited the customer read, so nothing here writes an audit row."""

from cma.customers.models import agency_today

from . import selectors
from .forms import LockForm, TransferForm, UnlockForm
from .ownership import holder_of, ownership_notice


def customer_context(request, customer) -> dict:
    actor = request.user
    if not actor.has_perm("work.view_work"):
        return {}
    lock = selectors.active_lock_for(customer)
    history = selectors.lock_history(customer, limit=5)
    labels = selectors.owner_labels({e.owner for e in history})
    for event in history:
        event.owner_label = labels.get(event.owner, "")
    can_change = lock is not None and actor.has_perm("work.change_lock", lock)
    return {
        "work_visible": True,
        "work_lock": lock,
        "work_lock_holder": holder_of(lock) if lock else None,
        # Said at the top of the page when someone else holds the customer (CMA-5).
        "work_ownership_notice": ownership_notice(actor, lock),
        "work_area_after_expiry": None if lock else selectors.owning_area_after_expiry(customer),
        "work_intrays": selectors.open_intrays(customer),
        "work_lock_history": history,
        "work_today": agency_today(),
        "work_can_change_lock": can_change,
        "work_lock_form": LockForm(actor=actor, auto_id="lock_%s") if lock is None else None,
        "work_unlock_form": UnlockForm(auto_id="unlock_%s") if can_change else None,
        "work_transfer_form": TransferForm(actor=actor, auto_id="transfer_%s")
        if can_change
        else None,
    }
