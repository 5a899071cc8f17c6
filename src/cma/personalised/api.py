"""Personalised Services endpoints under /api/v1/ps/..."""

from ninja import Router

router = Router(tags=["personalised"])
