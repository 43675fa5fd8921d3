"""A directive's updates are its history: the database refuses to change or remove one.

The same triggers as the audit log's (``haicap.core.append_only``), made by this app's
migration; registering the table lets whatever must get past every append-only table (emptying
a test database) find it.
"""

from haicap.core.append_only import AppendOnlyTable, register

DIRECTIVE_UPDATES = register(
    AppendOnlyTable(
        table="oversight_directiveupdate",
        refusal="directive updates are append-only",
        postgres_function="haicap_refuse_directive_update_change",
    )
)
