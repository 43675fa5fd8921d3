"""A form field taking several files from one input (``<input type="file" multiple>``)."""

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Several files from one input, as a list (empty when none was sent); what each file holds
    is judged by the form or the service, not here."""

    widget = MultipleFileInput

    def clean(self, data: object) -> list[UploadedFile]:
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files
