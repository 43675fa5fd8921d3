"""The feedback figures page and the rating of a returned dossier, for the test that reads every
page in both languages (``tests/test_translations.py``): the March of ``figures_world``, read by
the supervisor; a returned dossier not yet rated, opened on the rating page with its code and PIN
(the survey shows)."""

from haicap.accounts.models import User
from haicap.feedback.models import Category
from tests.feedback import figures_world

NOT_PAGES: dict[str, str] = {}

# The records' own text, which reads the same in both languages.
RECORDS = ((Category, ("name",)),)


def world() -> dict:
    made = figures_world.make(lambda username: User.objects.get(username=username))
    unrated, pin = figures_world.returned(lambda username: User.objects.get(username=username), 9)
    return {"supervisor": made.people.supervisor.username, "code": unrated.code, "pin": pin}


def pages(world: dict) -> dict[str, tuple]:
    return {
        "desk:feedback:figures": (
            world["supervisor"],
            "get",
            "/desk/phan-anh/so-lieu/",
            {"kind": "range", "start": "2026-03-01", "end": "2026-03-31"},
        ),
        "feedback_public:rate_dossier": (
            None,
            "post",
            "/danh-gia/ho-so/",
            {"code": world["code"], "pin": world["pin"]},
        ),
    }
