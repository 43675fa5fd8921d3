from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "haicap.core"
    label = "core"
    verbose_name = "Core"
