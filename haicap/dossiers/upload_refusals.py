"""Why an uploaded paper is refused, in the reader's language.

The rule (``haicap.dossiers.uploads``) is pure and says why in English with a ``reason``; the
desk, the portal and the API all word that reason here, so a refusal reads the same everywhere.
"""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from haicap.dossiers import uploads


def refusal_message(name: str, refusal: uploads.RefusedUpload) -> str:
    messages = {
        "empty": _("“%(name)s” is empty."),
        "too_big": _("“%(name)s” is larger than %(limit)s."),
    }
    message = messages.get(
        refusal.reason, _("“%(name)s” is not a PDF, PNG or JPEG file (judged by its content).")
    )
    return message % {"name": name, "limit": filesizeformat(uploads.MAX_UPLOAD_BYTES)}
