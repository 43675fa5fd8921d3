"""What an uploaded paper may be (pure): its kind read from its first bytes, not its name."""

from dataclasses import dataclass

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a scanned dossier paper; larger files are split

# (magic bytes, content type, extension)
ACCEPTED = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


class RefusedUpload(ValueError):
    """``reason`` ("empty", "too_big", "not_accepted") lets a page word it in its own language."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def kind_of(head: bytes, size: int) -> Kind:
    """The kind of a file from its first bytes; refuses what is empty, too big or not accepted."""
    if size == 0:
        raise RefusedUpload("the file is empty", "empty")
    if size > MAX_UPLOAD_BYTES:
        raise RefusedUpload(
            f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", "too_big"
        )
    for magic, content_type, extension in ACCEPTED:
        if head.startswith(magic):
            return Kind(content_type, extension)
    raise RefusedUpload("only PDF, PNG and JPEG files are accepted", "not_accepted")
