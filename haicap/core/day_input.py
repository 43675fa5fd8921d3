"""A browser's date box for forms (``DayInput``)."""

from django import forms


class DayInput(forms.DateInput):
    """A browser's date box: its value is always ISO (yyyy-mm-dd), whatever the language's date
    format, or the browser shows it empty and sends nothing back."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")
