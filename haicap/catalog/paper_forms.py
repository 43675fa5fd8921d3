"""What form a paper of a procedure is asked in (``documents[].form``), in the reader's language."""

from django.utils.translation import gettext_lazy

PAPER_FORMS = {
    "original": gettext_lazy("original"),
    "copy": gettext_lazy("copy"),
    "either": gettext_lazy("original or copy"),
    "shown": gettext_lazy("to show at the desk"),
}
