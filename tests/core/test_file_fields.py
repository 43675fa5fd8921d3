"""The several-files field: a list, whether one file, several or none was sent."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from haicap.core.file_fields import MultipleFileField


class Upload(forms.Form):
    files = MultipleFileField(required=False)


class RequiredUpload(forms.Form):
    files = MultipleFileField()


def sent(*names: str) -> MultiValueDict:
    return MultiValueDict({"files": [SimpleUploadedFile(n, b"x") for n in names]})


def test_every_file_of_the_input_is_kept_in_order():
    form = Upload(data={}, files=sent("a.jpg", "b.jpg", "c.jpg"))
    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["files"]] == ["a.jpg", "b.jpg", "c.jpg"]


def test_none_sent_is_an_empty_list_or_a_required_error():
    form = Upload(data={}, files=sent())
    assert form.is_valid() and form.cleaned_data["files"] == []
    required = RequiredUpload(data={}, files=sent())
    assert not required.is_valid() and "files" in required.errors


@pytest.mark.parametrize("form", [Upload, RequiredUpload])
def test_the_input_lets_several_be_chosen(form):
    assert "multiple" in str(form()["files"])
