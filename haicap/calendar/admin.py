import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.calendar.models import CalendarChange, OfficeHours
from haicap.calendar.selectors import days_of_year
from haicap.calendar.services import check_review, review_provisional_day
from haicap.calendar.sessions import SessionsError, parse_sessions
from haicap.calendar.workdays import VIETNAM, DaySource, DayStatus
from haicap.core import clock
from haicap.core.admin import AuditedModelAdmin
from haicap.core.errors import DomainError
from haicap.core.validators import PlainTextForm

SOURCE_LABELS = {
    DaySource.LABOUR_CODE: gettext_lazy("Labour Code 2019, Art. 111–112"),
    DaySource.GOVERNMENT_NOTICE: gettext_lazy("Government notice (swap of working days)"),
    DaySource.PROVINCE: gettext_lazy("The province's own declaration"),
    DaySource.ESTIMATE: gettext_lazy("Estimate of the holidays package for a year not announced"),
    DaySource.POLICY: gettext_lazy("Policy not yet found in the Labour Code (Resolution 80-NQ/TW)"),
}
STATUS_LABELS = {
    DayStatus.IN_FORCE: gettext_lazy("in force"),
    DayStatus.PROVISIONAL: gettext_lazy("provisional"),
    DayStatus.CONFIRMED: gettext_lazy("confirmed by the province"),
    DayStatus.REMOVED: gettext_lazy("removed by the province"),
}


class CalendarChangeForm(PlainTextForm, ModelForm):
    class Meta:
        model = CalendarChange
        fields = ("date", "kind", "reason")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("kind"):
            try:
                check_review(cleaned["date"], cleaned["kind"])
            except DomainError as error:
                raise ValidationError(error.detail) from error
        return cleaned


@admin.register(CalendarChange)
class CalendarChangeAdmin(AuditedModelAdmin):
    form = CalendarChangeForm
    list_display = ("date", "kind", "reason")
    list_filter = ("kind",)
    date_hierarchy = "date"
    change_list_template = "admin/workcalendar/calendarchange_changelist.html"

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.days_view)
        return [path("days/", view, name="workcalendar_calendarchange_days"), *super().get_urls()]

    def days_view(self, request: HttpRequest) -> HttpResponse:
        """The year's days off, where each comes from, and buttons to settle provisional ones."""
        today = clock.now().astimezone(VIETNAM).date()
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        year = min(max(year, 2000), 2100)
        if request.method == "POST":
            if not self.has_change_permission(request):
                return HttpResponse(status=403)
            return self._review(request, year)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Days off of %(year)d and where they come from") % {"year": year},
            "year": year,
            "days": [
                {
                    "entry": entry,
                    "source": SOURCE_LABELS[entry.day.source],
                    "status": STATUS_LABELS[entry.day.status],
                }
                for entry in days_of_year(year)
            ],
            "previous_year": year - 1,
            "next_year": year + 1,
        }
        return TemplateResponse(request, "admin/workcalendar/days_of_year.html", context)

    def _review(self, request: HttpRequest, year: int) -> HttpResponse:
        try:
            date = dt.date.fromisoformat(request.POST.get("date", ""))
            review_provisional_day(
                request.user, date, request.POST.get("decision", ""), request.POST.get("reason", "")
            )
        except DomainError as error:
            messages.error(request, error.detail)
        except ValueError:
            messages.error(request, _("The date is not a date."))
        else:
            messages.success(
                request,
                _("The province's word on %(date)s is recorded.") % {"date": f"{date:%d/%m/%Y}"},
            )
        return redirect(f"{request.path}?year={year}")


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
