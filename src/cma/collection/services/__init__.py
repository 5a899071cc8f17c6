"""Every write of the collection app (services): one transaction and one audit row each."""

from .issues import raise_issue, refer_externally
from .leads import record_lead, record_payee_update
from .mca import mca_applies, record_mca

__all__ = [
    "mca_applies",
    "raise_issue",
    "record_lead",
    "record_mca",
    "record_payee_update",
    "refer_externally",
]
