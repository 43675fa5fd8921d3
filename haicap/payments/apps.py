from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "haicap.payments"
    label = "payments"
    verbose_name = _("Online payment of fees and charges")
