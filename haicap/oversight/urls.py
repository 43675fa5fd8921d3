"""The oversight pages, under the desk (``/desk/giam-sat/``)."""

from django.urls import path  # noqa: F401 (the page modules add their paths below)

app_name = "oversight"

urlpatterns: list = []
