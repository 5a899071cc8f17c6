"""Personalised Services endpoints under /api/v1/ps/...: one router, each feature's
operations in its own module (api_core: PS-1..PS-6; api_mandate: PS-12;
api_finalisation: PS-13..PS-17)."""

from ninja import Router

from .api_core import router as core_router
from .api_finalisation import router as finalisation_router
from .api_mandate import router as mandate_router

router = Router(tags=["personalised"])
router.add_router("", core_router)
router.add_router("/", mandate_router)
router.add_router("/", finalisation_router)
