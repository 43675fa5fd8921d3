"""Serving a stored paper: its recorded type and a name the reader's machine can open."""

from django.http import FileResponse

from haicap.dossiers.models import StoredPaper
from haicap.dossiers.uploads import download_name


def paper_response(paper: StoredPaper) -> FileResponse:
    """The paper, shown by the browser where it can, under its name with its kind's extension
    once: a name sent as ``x.pdf`` is not served as ``x.pdf.pdf``."""
    return FileResponse(
        paper.file.open("rb"),
        content_type=paper.content_type,
        filename=download_name(paper.name, paper.content_type, paper.extension),
    )
