from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "haicap.staffing"
    label = "staffing"
    verbose_name = _("Staffing and secondments")

    def ready(self) -> None:
        from haicap.core.notices import notice_sources
        from haicap.staffing.notices import STAFFING_NOTICES

        notice_sources.register(STAFFING_NOTICES)
