"""Code mappings for the demo province, so its messages can be delivered at once.

Illustrative, like the demo's agency and procedure codes: every procedure and agency is mapped
to its own code, and the statuses to a numbering made up for the demo. A province replaces
them with the national codes (Admin → Code mappings, or ``import_code_mappings``).
"""

from django.db import transaction

from haicap.catalog.models import Procedure
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import CodeMapping
from haicap.units.models import Agency

DEMO_STATUSES = {
    "received": "1",
    "processing": "2",
    "approval": "2",
    "awaiting_supplement": "3",
    "awaiting_payment": "4",
    "result_ready": "5",
    "returned": "6",
    "refused": "7",
    "withdrawn": "8",
}


def load_demo_mappings() -> int:
    """Create the demo's mappings that are missing; returns how many were created."""
    wanted = [
        *(
            ("procedure", code)
            for code in Procedure.objects.values_list("national_code", flat=True)
        ),
        *(("agency", code) for code in Agency.objects.values_list("code", flat=True)),
    ]
    rows = [(kind, code, code) for kind, code in wanted]
    rows += [("status", step, national) for step, national in DEMO_STATUSES.items()]
    existing = set(
        CodeMapping.objects.filter(target=NATIONAL_PORTAL).values_list("kind", "local_code")
    )
    new = [
        CodeMapping(
            target=NATIONAL_PORTAL,
            kind=kind,
            local_code=local,
            national_code=national,
            note="demo (illustrative)",
        )
        for kind, local, national in rows
        if (kind, local) not in existing
    ]
    with transaction.atomic():
        CodeMapping.objects.bulk_create(new, batch_size=1000)
    return len(new)
