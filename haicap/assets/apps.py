from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "haicap.assets"
    label = "assets"
    verbose_name = _("Offices and public assets")

    def ready(self) -> None:
        from haicap.assets import history  # noqa: F401  (registers the append-only tables)
