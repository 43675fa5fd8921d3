"""Serving a stored paper: its recorded type and a name the reader's machine can open."""

from django.http import FileResponse

from haicap.dossiers.models import StoredPaper


def paper_response(paper: StoredPaper) -> FileResponse:
    return FileResponse(
        paper.file.open("rb"),
        content_type=paper.content_type,
        filename=f"{paper.name}{paper.extension}",
    )
