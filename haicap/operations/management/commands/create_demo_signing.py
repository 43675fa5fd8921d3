from django.core.management.base import BaseCommand

from haicap.dossiers.demo_authority import CA_NAME
from haicap.dossiers.demo_signing import DemoSigning, authority_dir, ensure_demo_signing


class Command(BaseCommand):
    help = (
        f'Create the demo\'s test certificate authority ("{CA_NAME}") and one signing '
        "certificate for each current body that issues results in its name, under "
        "HAICAP_SIGNING_DIR, so the demo can sign electronic results. A test CA: never for "
        "production. Running it again adds only the certificates missing."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(describe(ensure_demo_signing()))


def describe(report: DemoSigning) -> str:
    made = "created" if report.authority_created else "already there"
    return (
        f"signing: TEST CA — not for production ({made}, {authority_dir()}); "
        f"{report.certificates_issued} agency certificates issued, "
        f"{report.agencies_with_credentials} issuing bodies can sign results"
    )
