"""The assets pages, under the desk (``/desk/tai-san/``)."""

from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assets"

urlpatterns: list = []
