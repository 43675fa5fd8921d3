from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Commands that wire several apps together: the worker, the demo loader, the rebuilds.

    The top of the layers: it may import any app, and none imports it.
    """

    name = "haicap.operations"
    verbose_name = _("Operations")
