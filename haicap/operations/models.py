"""What the operations app keeps: the worker's heartbeat."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last moment a worker ran a scheduled job, one row per kind of beat.

    The worker writes it from a job django-q runs every minute, so a fresh beat shows that the
    scheduler and its job processes both work, not only that a process is alive.
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("last beat at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
