"""An asset's movements and a disposal plan's progress are history: the database refuses to
change or remove one (the audit log's triggers, ``haicap.core.append_only``), made by this app's
migration."""

from haicap.core.append_only import AppendOnlyTable, register

MOVEMENTS = register(
    AppendOnlyTable(
        table="assets_movement",
        refusal="asset movements are append-only",
        postgres_function="haicap_refuse_asset_movement_change",
    )
)
DISPOSAL_UPDATES = register(
    AppendOnlyTable(
        table="assets_disposalupdate",
        refusal="disposal progress is append-only",
        postgres_function="haicap_refuse_disposal_update_change",
    )
)
