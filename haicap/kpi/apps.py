from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "haicap.kpi"
    verbose_name = _("Service indicators")

    def ready(self) -> None:
        from haicap.catalog.changes import procedures_moved
        from haicap.core.measures import measures
        from haicap.core.report_sources import report_sources
        from haicap.core.service_index import index_inputs
        from haicap.core.workload import workload
        from haicap.dossiers import changes
        from haicap.kpi import services
        from haicap.kpi.index import INPUTS
        from haicap.kpi.measures import MEASURES
        from haicap.kpi.report_sources import SOURCES
        from haicap.kpi.workload import field_workload
        from haicap.units.changes import agencies_moved

        changes.listen(services.on_dossier_change)
        procedures_moved.listen(services.on_procedures_moved)
        agencies_moved.listen(services.on_agency_moved)
        for measure in MEASURES:  # what a directive's target can be bound to
            measures.register(measure)
        for index_input in INPUTS:  # Decision 766's progress and online groups
            index_inputs.register(index_input)
        workload.register(field_workload)  # what staffing norms derive from
        for source in SOURCES:  # what a commune report's cells are pre-filled from
            report_sources.register(source)
