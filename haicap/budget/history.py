"""The capital ledger is history: the database refuses to change or remove an entry (the audit
log's triggers, ``haicap.core.append_only``), made by this app's migration. A correction is a
reversing entry."""

from haicap.core.append_only import AppendOnlyTable, register

LEDGER = register(
    AppendOnlyTable(
        table="budget_ledgerentry",
        refusal="capital ledger entries are append-only",
        postgres_function="haicap_refuse_ledger_entry_change",
    )
)
