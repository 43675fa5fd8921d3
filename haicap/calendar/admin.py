from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.sessions import SessionsError, parse_sessions
from haicap.core.admin import AuditedModelAdmin
from haicap.core.validators import PlainTextForm


@admin.register(CalendarChange)
class CalendarChangeAdmin(AuditedModelAdmin):
    list_display = ("date", "kind", "reason")
    list_filter = ("kind",)
    date_hierarchy = "date"


class OfficeHoursForm(PlainTextForm, ModelForm):
    class Meta:
        model = OfficeHours
        fields = ("unit", "sessions")

    def clean_sessions(self) -> Any:
        sessions = self.cleaned_data["sessions"]
        try:
            parse_sessions(sessions)
        except SessionsError as error:
            raise ValidationError(str(error)) from error
        return sessions


@admin.register(OfficeHours)
class OfficeHoursAdmin(AuditedModelAdmin):
    form = OfficeHoursForm
    list_display = ("unit", "sessions")
    autocomplete_fields = ("unit",)
