"""Personalised Services endpoints under /api/v1/ps/..."""

from ninja import Router

from .api_mandate import router as mandate_router

router = Router(tags=["personalised"])
router.add_router("/", mandate_router)
