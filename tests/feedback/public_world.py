"""What the public petition pages' tests share: a citizen's browser, the filing form filled in,
a photo with its location, and a petition taken through to its answer."""

import io
import re

from django.conf import settings
from django.test import Client
from PIL import Image

from haicap.core import clock
from haicap.feedback.services import handling
from tests.feedback.world import DO_LUONG, at, file, people

FILED_AT = at(3, 2, 21, 30)  # a Monday evening, after office hours
FILE_URL = "/phan-anh/gui/"
LOOKUP_URL = "/phan-anh/tra-cuu/"
NAME, PHONE, EMAIL = "Trần Thị Phản", "0987123456", "phan@example.vn"
HOME = "Số 12 ngõ 5, xóm Bắc Thành"
WHAT = "Đường liên xóm 3 bị sạt lở một đoạn dài, xe máy đi qua rất nguy hiểm vào ban đêm."
GPS_IFD = 0x8825
# 18°54'30" N, 105°20'15" E: near Đô Lương
GPS = {1: "N", 2: (18.0, 54.0, 30.0), 3: "E", 4: (105.0, 20.0, 15.0)}


def citizen(language: str = "en", **kwargs) -> Client:
    """A citizen's browser; English by default, so the tests read the source strings."""
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def form_token(client: Client) -> str:
    page = client.get(FILE_URL).content.decode()
    found = re.search(r'name="filing_token" value="([^"]+)"', page)
    return found.group(1) if found else ""


def petition_data(**overrides) -> dict:
    return {
        "category": "ha-tang",
        "text": WHAT,
        "place": "Đường liên xóm 3, gần cầu Khe",
        "commune": DO_LUONG,
        "village": "Xóm 3",
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
        "address": HOME,
        "publish_consent": "on",
        **overrides,
    }


def send(client: Client, when=FILED_AT, token: str | None = None, follow: bool = True, **fields):
    """Open the form, fill it in and send it; by default follow to the confirmation."""
    if token is None:
        token = form_token(client)
    with clock.fixed_at(when):
        return client.post(FILE_URL, petition_data(filing_token=token, **fields), follow=follow)


def code_and_pin(response) -> tuple[str, str]:
    page = response.content.decode()
    code = re.search(r'data-testid="code">(PA-\d{6}-\d{4,})<', page)
    pin = re.search(r'data-testid="pin">(\d{6})<', page)
    assert code and pin, page
    return code.group(1), pin.group(1)


def jpeg(gps: dict | None = None, size=(64, 48)) -> bytes:
    """A small JPEG as a phone makes it: the camera's make, and its location when given."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[GPS_IFD] = gps
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def gps_of(content: bytes) -> dict:
    with Image.open(io.BytesIO(content)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def make_of(content: bytes) -> str | None:
    with Image.open(io.BytesIO(content)) as image:
        return image.getexif().get(0x010F)


def answered(publish: bool = True, **kw) -> tuple:
    """A petition filed by SENDER (world.py) in Đô Lương and answered there on time, and its
    PIN."""
    p = people()
    filed = file(publish=publish, **kw)
    petition = filed.petition
    with clock.fixed_at(at(3, 4, 9)):
        handling.assign(p.do_luong, petition.code, p.do_luong)
        handling.start(p.do_luong, petition.code)
        handling.answer(
            p.do_luong,
            petition.code,
            "UBND xã đã cho thu gom rác tại xóm 3 ngày 4/3; ông Nguyễn Văn Dân (0912345678) "
            "được thông báo kết quả.",
        )
    petition.refresh_from_db()
    return petition, filed.pin
