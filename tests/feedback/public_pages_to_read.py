"""The public petition pages, for the test that reads every page in both languages
(``tests/test_translations.py``): the form as a citizen sees it after a refusal (a former
commune to choose among those found), the confirmation with its PIN and its rerouting, the
look-up of an answered petition with its actions and survey, and the published answers."""

from django.test import Client

from haicap.feedback.models import Answer, Category, Petition, PetitionEvent
from tests.feedback.public_world import answered, form_token, petition_data
from tests.feedback.world import former

NOT_PAGES = {
    "feedback_public:attachment": "a file (an answer's attachment)",
    "feedback_public:rate_dossier": "the dossier rating page (another part lists it)",
}

# The records' own text, which reads the same in both languages.
RECORDS = (
    (Category, ("name", "name_en")),
    (Petition, ("code", "text", "place", "village")),
    (Answer, ("text", "public_text")),
    (PetitionEvent, ("note",)),
)


def world() -> dict:
    petition, pin = answered()
    # a citizen who filed naming a former commune: the confirmation says where it went
    # (on the real clock, as the pages are read: the PIN and the look-up wait a while only)
    filer = Client()
    nam_son = former("Nam Sơn")
    sent = filer.post(
        "/phan-anh/gui/",
        petition_data(
            filing_token=form_token(filer), commune="", unit_search="Nam Sơn", unit=str(nam_son.pk)
        ),
    )
    follower = Client()
    follower.post("/phan-anh/tra-cuu/", {"code": petition.code, "pin": pin})
    assert 'data-testid="sender-actions"' in follower.get("/phan-anh/tra-cuu/").content.decode()
    assert sent.status_code == 303
    return {
        "answered": petition.code,
        "filer": filer,
        "filed": sent["Location"],
        "follower": follower,
    }


def pages(world: dict) -> dict[str, tuple]:
    code = world["answered"]
    return {
        "feedback_public:file": (
            None,
            "post",
            "/phan-anh/gui/",
            {"text": "123", "commune": "", "unit_search": "Nam Sơn", "filing_token": "x"},
        ),
        "feedback_public:unit_search": (
            None,
            "get",
            "/phan-anh/gui/don-vi/",
            {"unit_search": "Nam Sơn"},
        ),
        "feedback_public:filed": (world["filer"], "get", world["filed"], {}),
        "feedback_public:look_up": (world["follower"], "get", "/phan-anh/tra-cuu/", {}),
        "feedback_public:answered": (None, "get", "/phan-anh/", {}),
        "feedback_public:answered_detail": (None, "get", f"/phan-anh/{code}/", {}),
    }
