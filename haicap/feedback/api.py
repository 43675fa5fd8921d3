"""The feedback API (``/api/v1/feedback/…``): its routes are added by the API's part."""

from ninja import Router

router = Router(tags=["feedback"])
public_router = Router(tags=["feedback (public)"], auth=None)
