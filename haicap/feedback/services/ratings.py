"""Ratings: one per returned dossier, one per answered petition, given by whoever holds its
code and PIN (the look-up proves them). What the figures group a rating by (the rated agency,
its unit, the procedure and its field, or the petition's category) is fixed when it is given.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.core import clock
from haicap.core.audit import record_change
from haicap.core.errors import Conflict, InvalidInput
from haicap.core.validators import check_text
from haicap.dossiers.models import Dossier
from haicap.feedback import questions
from haicap.feedback.lifecycle import State
from haicap.feedback.models import Petition, Rating

MAX_COMMENT = 1000
RETURNED = "return_result"  # the dossier action that hands the result over


def was_returned(dossier: Dossier) -> bool:
    return dossier.events.filter(action=RETURNED).exists()


def _answers(subject: str, answers: dict[str, str], comment: str) -> tuple[dict, str]:
    try:
        kept = questions.checked(subject, answers)
    except questions.BadAnswers as error:
        raise InvalidInput(_("Answer every question of the survey.")) from error
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Comment: write at most %(n)s characters.") % {"n": MAX_COMMENT})
    check_text(_("Comment"), comment, multiline=True)
    return kept, comment


def _save(rating: Rating) -> Rating:
    try:
        with transaction.atomic():
            rating.save()
            record_change("rating.given", rating, after={"satisfied": rating.satisfied})
    except IntegrityError as error:
        raise Conflict(_("This has already been rated; thank you.")) from error
    return rating


def rate_dossier(dossier: Dossier, answers: dict[str, str], comment: str = "") -> Rating:
    """The applicant rates the service of a dossier whose result was returned."""
    if not was_returned(dossier):
        raise Conflict(_("A dossier is rated once its result has been returned."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise Conflict(_("This has already been rated; thank you."))
    kept, comment = _answers("dossier", answers, comment)
    agency = dossier.competent_agency
    procedure = dossier.procedure
    return _save(
        Rating(
            dossier=dossier,
            agency=agency,
            unit_id=agency.unit_id,
            procedure=procedure,
            field_code=procedure.field.code if procedure.field_id else "",
            answers=kept,
            satisfied=questions.is_satisfied(kept),
            comment=comment,
            rated_at=clock.now(),
        )
    )


def rate_petition(petition: Petition, answers: dict[str, str], comment: str = "") -> Rating:
    """The sender rates how an answered petition was handled (the agency that answered)."""
    if petition.state not in (State.ANSWERED, State.CLOSED) or petition.answered_at is None:
        raise Conflict(_("A petition is rated once it has been answered."))
    if Rating.objects.filter(petition=petition).exists():
        raise Conflict(_("This has already been rated; thank you."))
    kept, comment = _answers("petition", answers, comment)
    last = petition.answers.order_by("-answered_at", "-pk").select_related("agency").first()
    agency = last.agency if last else petition.agency
    return _save(
        Rating(
            petition=petition,
            agency=agency,
            unit_id=agency.unit_id,
            answers=kept,
            satisfied=questions.is_satisfied(kept),
            comment=comment,
            rated_at=clock.now(),
        )
    )
