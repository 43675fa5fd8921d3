"""The reports app's writes: publishing a template version, writing and submitting a report,
the province's decision, the worker's reminders."""
