"""Placeholder while the pages are built (replaced before this work lands)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


mine = _missing
open_report = _missing
detail = _missing
save = _missing
refresh = _missing
submit = _missing
submission = _missing
