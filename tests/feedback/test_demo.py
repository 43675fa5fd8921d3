"""The demo's petitions tell the story the README gives, through the services."""

import datetime as dt

import pytest

from haicap.core import clock
from haicap.feedback.demo import STORIES, load_demo_feedback
from haicap.feedback.models import Petition, PetitionEvent

pytestmark = pytest.mark.django_db


def test_the_demo_petitions_are_routed_handled_and_loaded_once():
    loaded = load_demo_feedback()
    assert loaded.petitions == len(STORIES) == Petition.objects.count()
    assert loaded.rerouted == 3
    nam_son = Petition.objects.get(named_unit__name="Nam Sơn")
    assert nam_son.commune.code == "17662" and nam_son.agency.code == "17662.01.H40"
    assert nam_son.photos.count() == 1
    assert Petition.objects.filter(reopened=True, state="in_progress").count() == 1
    moved = PetitionEvent.objects.get(kind="transferred")
    assert moved.to_agency.code == "000.08.00.H40" and moved.note
    assert loaded.overdue >= 2
    late = Petition.objects.filter(answers__on_time=False)
    assert {p.commune.code for p in late} == {"17677"}  # Văn Hiến answers late
    # some were filed before working group no. 4's visit, seventy days ago
    assert Petition.objects.filter(received_at__lt=clock.now() - dt.timedelta(days=70)).count() >= 3
    assert load_demo_feedback() is None
