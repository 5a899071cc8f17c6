"""Context for this app's panel on the customer page: who owns the customer (the lock,
or the owning area after an auto-unlock) and who owns each open piece of work (CMA-5).
The page already audited the customer read, so nothing here writes an audit row.
The lock and transfer forms list every team and officer, so they are loaded only when
the officer opens them (`work:customer-lock` GET, by htmx); the lock history is on the
page's timeline ("Lock changes")."""

from cma.customers.models import agency_today

from . import selectors
from .forms import UnlockForm
from .ownership import holder_of, ownership_notice


def customer_context(request, customer) -> dict:
    actor = request.user
    if not actor.has_perm("work.view_work"):
        return {}
    lock = selectors.active_lock_for(customer)
    can_change = lock is not None and actor.has_perm("work.change_lock", lock)
    return {
        "work_visible": True,
        "work_lock": lock,
        "work_lock_holder": holder_of(lock) if lock else None,
        # Said at the top of the page when someone else holds the customer (CMA-5).
        "work_ownership_notice": ownership_notice(actor, lock),
        "work_area_after_expiry": None if lock else selectors.owning_area_after_expiry(customer),
        "work_intrays": selectors.open_intrays(customer),
        "work_today": agency_today(),
        "work_can_change_lock": can_change,
        "work_unlock_form": UnlockForm(auto_id="unlock_%s") if can_change else None,
    }
