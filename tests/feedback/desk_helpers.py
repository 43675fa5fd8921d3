"""What the desk's petition tests share: a photo, reading a page, a petition at a given step."""

import html
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from haicap.core import clock
from haicap.feedback.models import Petition
from haicap.feedback.services import filing, handling
from tests.feedback.world import at, file

QUEUE = "/desk/phan-anh/"


def png(colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, "PNG")
    return buffer.getvalue()


def page_of(petition: Petition, tail: str = "") -> str:
    return f"{QUEUE}{petition.code}/{tail}"


def text(response) -> str:
    return html.unescape(response.content.decode())


def with_photo(**kw) -> Petition:
    """A petition about Đô Lương filed Monday 2 March 09:00 with one photo."""
    return file(photos_sent=[filing.Photo("rac.png", png())], **kw).petition


def answered(petition: Petition, officer, when=None, **kw):
    """Taken, begun and answered by ``officer`` (on Tuesday 3 March by default)."""
    with clock.fixed_at(when or at(3, 3, 9)):
        handling.assign(officer, petition.code, officer)
        handling.start(officer, petition.code)
        return handling.answer(officer, petition.code, "Đã thu gom rác tại xóm 3.", **kw)


def upload(name: str, content: bytes, kind: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


def vi(message: str, **values: object) -> str:
    """``message`` as the catalogue says it in Vietnamese (and it does say it)."""
    from django.utils import translation

    with translation.override("vi"):
        said = translation.gettext(message)
    assert said != message, f"not translated: {message}"
    return said % values if values else said
