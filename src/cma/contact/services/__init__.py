"""Every write of the contact app (services) — one transaction and one audit row each."""

from .identity import confirm_identity, dispute_identity
from .interactions import open_interaction

__all__ = ["confirm_identity", "dispute_identity", "open_interaction"]
