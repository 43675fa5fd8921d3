"""The kinds of administrative units and agencies, and which tier each belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District (abolished 1 July 2025)")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    TOWNSHIP = "township", _("Township")
    DISTRICT = "district", _("District")
    DISTRICT_TOWN = "district_town", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")


UNIT_KIND_TIER = {
    UnitKind.PROVINCE: Tier.PROVINCE,
    UnitKind.CITY: Tier.PROVINCE,
    UnitKind.COMMUNE: Tier.COMMUNE,
    UnitKind.WARD: Tier.COMMUNE,
    UnitKind.SPECIAL_ZONE: Tier.COMMUNE,
    UnitKind.TOWNSHIP: Tier.COMMUNE,
    UnitKind.DISTRICT: Tier.DISTRICT,
    UnitKind.DISTRICT_TOWN: Tier.DISTRICT,
    UnitKind.PROVINCIAL_CITY: Tier.DISTRICT,
}

# The Vietnamese word that precedes a unit's name ("xã Đô Lương").
UNIT_KIND_PREFIX = {
    UnitKind.PROVINCE: "tỉnh",
    UnitKind.CITY: "thành phố",
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.SPECIAL_ZONE: "đặc khu",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.DISTRICT: "huyện",
    UnitKind.DISTRICT_TOWN: "thị xã",
    UnitKind.PROVINCIAL_CITY: "thành phố",
}
UNIT_KIND_BY_PREFIX = {
    "tỉnh": UnitKind.PROVINCE,
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "đặc khu": UnitKind.SPECIAL_ZONE,
    "thị trấn": UnitKind.TOWNSHIP,
    "huyện": UnitKind.DISTRICT,
    "thị xã": UnitKind.DISTRICT_TOWN,
    "thành phố": UnitKind.PROVINCIAL_CITY,  # a former district-level city; provinces use "tỉnh"
}


class AgencyKind(models.TextChoices):
    PROVINCIAL_PEOPLES_COMMITTEE = (
        "provincial_peoples_committee",
        _("Provincial People's Committee"),
    )
    PPC_OFFICE = "ppc_office", _("Office of the Provincial People's Committee")
    DEPARTMENT = "department", _("Provincial department")
    PROVINCIAL_SERVICE_CENTER = (
        "provincial_service_center",
        _("Provincial Public Administration Service Center"),
    )
    COMMUNE_PEOPLES_COMMITTEE = "commune_peoples_committee", _("Commune People's Committee")
    COUNCIL_COMMITTEE_OFFICE = (
        "council_committee_office",
        _("Office of the People's Council and People's Committee"),
    )
    ECONOMIC_OFFICE = "economic_office", _("Economic Office")
    CULTURE_SOCIAL_OFFICE = "culture_social_office", _("Culture and Social Affairs Office")
    COMMUNE_SERVICE_CENTER = (
        "commune_service_center",
        _("Commune Public Administration Service Center"),
    )


ONE_STOP_DESK_KINDS = {AgencyKind.PROVINCIAL_SERVICE_CENTER, AgencyKind.COMMUNE_SERVICE_CENTER}


class Duty(models.TextChoices):
    """What the province charges an agency with beyond its dossiers: the agencies holding a
    duty read the province's records of it and arrange them."""

    STAFFING = "staffing", _("Arranges the province's staff and secondments")
    ASSETS = "assets", _("Arranges offices, public assets and equipment")
    CAPITAL = "capital", _("Arranges capital plans and their transfers")
    REPORTS = "reports", _("Receives and approves the communes' periodic reports")
