"""Reads of dossiers. The scoping rule for dossiers lives here and only here.

A commune officer sees the dossiers of their commune: those received at or handled by any of
its agencies. A provincial department or desk sees the dossiers it has received or handled.
Supervisors and system administrators see all of them.
"""

from django.db.models import Q, QuerySet

from haicap.accounts.models import User
from haicap.accounts.selectors import scope_for
from haicap.core.errors import NotFound
from haicap.core.scoping import Scope
from haicap.dossiers.models import Dossier, DossierAccess


def dossier_scope_filter(scope: Scope) -> Q:
    if scope.province_wide:
        return Q()
    if scope.user_id is None or not scope.memberships:
        return Q(pk__in=[])
    commune_units = {m.unit_id for m in scope.memberships if m.unit_tier == "commune"}
    provincial_agencies = {m.agency_id for m in scope.memberships if m.unit_tier != "commune"}
    access = DossierAccess.objects.filter(
        Q(agency__unit_id__in=commune_units) | Q(agency_id__in=provincial_agencies)
    )
    return Q(pk__in=access.values("dossier_id"))


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    return Dossier.objects.filter(dossier_scope_filter(scope_for(user)))


def get_dossier(user: User, code: str) -> Dossier:
    dossier = (
        visible_dossiers(user)
        .select_related("procedure", "receiving_agency", "competent_agency__unit", "template")
        .filter(code=code)
        .first()
    )
    if dossier is None:  # the same answer whether it does not exist or is out of scope
        raise NotFound()
    return dossier
