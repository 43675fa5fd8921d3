from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "haicap.kpi"
    verbose_name = _("Service indicators")
