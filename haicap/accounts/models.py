"""Staff users, their memberships in agencies, API tokens and sign-in throttling."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haicap.core.restricted import NOTHING, RestrictedQuerySet
from haicap.core.roles import Role
from haicap.core.scoping import MembershipFact, Scope
from haicap.units.models import Agency

_SCOPE_ATTR = "_haicap_scope"


class UserQuerySet(RestrictedQuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """Staff are seen where their agencies are: a user sees whoever works in an agency the
        user sees (``Agency``'s tree rule), and themselves."""
        if scope.province_wide:
            return Q()
        if scope.user_id is None:
            return NOTHING
        agencies = Agency.objects.filter(Agency.objects.visible_to(scope))
        members = Membership.objects.filter(agency__in=agencies).values("user_id")
        return Q(pk=scope.user_id) | Q(pk__in=members)


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, natural keys) with ``restrict``."""


class User(AbstractUser):
    """A staff member. Citizens do not have accounts; they follow dossiers by code and PIN."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def scope(self) -> Scope:
        """What this staff member may see, from their memberships: computed once per user
        object (one query), read by every scoping rule (``haicap.core.scoping.scope_of``).
        ``forget_scope`` after the memberships change."""
        cached = self.__dict__.get(_SCOPE_ATTR)
        if cached is None:
            cached = self.__dict__[_SCOPE_ATTR] = self._scope_from_memberships()
        return cached

    def forget_scope(self) -> None:
        self.__dict__.pop(_SCOPE_ATTR, None)

    def _scope_from_memberships(self) -> Scope:
        if not self.is_active:
            return Scope.anonymous()
        facts = [
            MembershipFact(agency_id, unit_id, path, Role(role), tier)
            for agency_id, unit_id, path, role, tier in Membership.objects.filter(user=self)
            .order_by("pk")  # the first granted comes first: it decides a dashboard's own slice
            .values_list(
                "agency_id", "agency__unit_id", "agency__unit__path", "role", "agency__unit__tier"
            )
        ]
        return Scope.of(self.pk, facts, superuser=self.is_superuser)


RoleChoices = models.TextChoices(
    "RoleChoices",
    [
        (Role.INTAKE_OFFICER.name, (Role.INTAKE_OFFICER.value, _("Intake officer"))),
        (Role.SPECIALIST.name, (Role.SPECIALIST.value, _("Specialist"))),
        (Role.LEADER.name, (Role.LEADER.value, _("Leader"))),
        (Role.AGENCY_ADMIN.name, (Role.AGENCY_ADMIN.value, _("Agency administrator"))),
        (
            Role.PROVINCE_SUPERVISOR.name,
            (Role.PROVINCE_SUPERVISOR.value, _("Province supervisor")),
        ),
        (Role.SYSTEM_ADMIN.name, (Role.SYSTEM_ADMIN.value, _("System administrator"))),
    ],
)


class Position(models.TextChoices):
    HEAD = "head", _("Head (Chairman, Director)")
    DEPUTY = "deputy", _("Deputy (Vice Chairman, Deputy Director)")


class Membership(models.Model):
    """``user`` works in ``agency`` with ``role``. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "units.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=RoleChoices.choices)
    # A leader signs a result as the head of the issuing body or "KT." for the head as a deputy
    # (Decree 30/2020/NĐ-CP, Art. 13); deputy by default, the usual one-stop signer.
    position = models.CharField(
        _("position"), max_length=8, choices=Position.choices, default=Position.DEPUTY
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A machine client's bearer token. Only a SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginThrottle(models.Model):
    """Sign-in attempts not (yet) proven good, per account and per client address, in a window."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
