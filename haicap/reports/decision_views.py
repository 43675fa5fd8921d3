"""Placeholder while the pages are built (replaced before this work lands)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


approve = _missing
return_report = _missing
