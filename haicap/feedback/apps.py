from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "haicap.feedback"
    label = "feedback"
    verbose_name = _("Feedback, petitions and satisfaction")

    def ready(self) -> None:
        from haicap.core.notices import notice_sources
        from haicap.feedback import history  # noqa: F401  (registers the append-only events)
        from haicap.feedback.notices import PETITION_NOTICES

        notice_sources.register(PETITION_NOTICES)
