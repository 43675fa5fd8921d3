"""A report's submissions and events are its record: the database refuses to change or remove
one (``haicap.core.append_only``), so what a commune submitted and what the province decided
cannot be rewritten."""

from haicap.core.append_only import AppendOnlyTable, register

SUBMISSIONS = register(
    AppendOnlyTable(
        table="reports_submission",
        refusal="report submissions are append-only",
        postgres_function="haicap_refuse_report_submission_change",
    )
)
REPORT_EVENTS = register(
    AppendOnlyTable(
        table="reports_reportevent",
        refusal="report events are append-only",
        postgres_function="haicap_refuse_report_event_change",
    )
)
