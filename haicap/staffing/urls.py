"""The staffing pages, under the desk (``/desk/nhan-su/``)."""

from haicap.core import converters  # noqa: F401  (registers <id:…>)

app_name = "staffing"

urlpatterns: list = []
