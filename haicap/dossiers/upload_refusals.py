"""Why an uploaded paper is refused, in the reader's language.

The rule (``haicap.dossiers.uploads``) is pure and says why in English with a ``reason``; the
desk, the portal and the API all word that reason here, so a refusal reads the same everywhere.
"""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from haicap.dossiers import uploads


def refusal_message(name: str, refusal: uploads.RefusedUpload) -> str:
    attachments = _(
        "Only PDF, PNG, JPEG, Word (.docx, .odt) and Excel (.xlsx, .ods) files are accepted."
    )
    messages = {
        "empty": _("“%(name)s” is empty."),
        "too_big": _("“%(name)s” is larger than %(limit)s."),
        "not_an_attachment": _(
            "“%(name)s” is not a PDF, PNG, JPEG, Word (.docx, .odt) or Excel (.xlsx, .ods) "
            "file (judged by its content)."
        ),
        "unpacks_too_big": _(
            "“%(name)s” unpacks to far more than its size or holds too many parts; it is not "
            "kept. Save it again from Word or Excel."
        )
        + " "
        + attachments,
        "name_mismatch": _(
            "“%(name)s” is named as a %(named)s file but its content is a %(found)s file."
        )
        + " "
        + attachments,
    }
    message = messages.get(
        refusal.reason, _("“%(name)s” is not a PDF, PNG or JPEG file (judged by its content).")
    )
    return message % {
        "name": name,
        "limit": filesizeformat(uploads.MAX_UPLOAD_BYTES),
        "named": refusal.named,
        "found": refusal.found,
    }
