"""The dossier operations of ``/api/v1/``: ``router`` (staff) and ``public_router`` (citizens).

Each capability has its module and its routers; they are mounted here in the order the schema
lists them: dossiers, their printed forms, online submissions, papers. Each operation names the
``operation_id`` it had when these were one module, so clients generated from the schema keep
their method names.
"""

from ninja import Router

from haicap.dossiers.api import documents, dossiers, printed_forms, submissions

router = Router(tags=["dossiers"])
public_router = Router(tags=["public"])
for capability in (dossiers, printed_forms, submissions, documents):
    router.add_router("", capability.router)
    if hasattr(capability, "public_router"):
        public_router.add_router("", capability.public_router)

__all__ = ["public_router", "router"]
