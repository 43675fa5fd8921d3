"""Placeholder while the pages are built (replaced before this work lands)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


overview = _missing
period = _missing
consolidated = _missing
trends = _missing
trend_chart = _missing
