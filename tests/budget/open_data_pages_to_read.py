"""The open-data page, for the test that reads every page in both languages
(``tests/test_translations.py``): read by Finance's specialist, with a plan ticked that is not
offered, so the form's error shows too."""

from haicap.budget.models import Plan, Project
from tests.budget import world as capital_world

ROOT = "/desk/von-dau-tu/"

NOT_PAGES = {
    "desk:budget:open_data_zip": "a zip file (the package's labels are in Vietnamese)",
    "desk:budget:open_data_descriptor": "a JSON file (the package's descriptor)",
}

# The records' own text, which reads the same in both languages.
RECORDS = ((Plan, ("name",)), (Project, ("code", "name")))


def world() -> dict:
    made = capital_world.make()  # the other capital pages' world: the page reads what is there
    return {"finance": made.who.finance.username}


def pages(world: dict) -> dict[str, tuple]:
    return {
        "desk:budget:open_data": (
            world["finance"],
            "get",
            f"{ROOT}du-lieu-mo/",
            {"plan": ["2025", "9999"]},  # one plan not offered: the form's error shows too
        ),
    }
