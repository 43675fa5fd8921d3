from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "haicap.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from haicap.calendar.models import CalendarChange, OfficeHours
        from haicap.core.measures import measures
        from haicap.core.notices import notice_sources
        from haicap.core.service_index import index_inputs
        from haicap.dossiers.deadlines import forget_outlooks
        from haicap.dossiers.index import INPUTS
        from haicap.dossiers.measures import MEASURES
        from haicap.dossiers.notices import DOSSIER_NOTICES

        for measure in MEASURES:  # the desk's intake figures a directive's target can use
            measures.register(measure)
        notice_sources.register(DOSSIER_NOTICES)
        for index_input in INPUTS:  # Decision 766's digitisation group (MDSH)
            index_inputs.register(index_input)
        for model in (CalendarChange, OfficeHours):  # working time moved: look again
            post_save.connect(forget_outlooks, sender=model, dispatch_uid=f"outlooks-{model}")
            post_delete.connect(forget_outlooks, sender=model, dispatch_uid=f"outlooks-{model}-x")
