"""A petition's events are its history: the database refuses to change or remove one
(``haicap.core.append_only``), so the legal clock's story cannot be rewritten."""

from haicap.core.append_only import AppendOnlyTable, register

PETITION_EVENTS = register(
    AppendOnlyTable(
        table="feedback_petitionevent",
        refusal="petition events are append-only",
        postgres_function="haicap_refuse_petition_event_change",
    )
)
