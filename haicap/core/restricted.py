"""Querysets that carry their kind's one scoping rule: ``Model.objects.restrict(user)``.

In the spirit of NetBox's ``RestrictedQuerySet``: each scoped model's queryset says, once, which
of its rows a ``Scope`` may see (``visible_to``), and every read a user triggers starts from
``restrict(user)``. A view or API handler that reads ``Model.objects`` without it stands out in
review, and ``tests/test_architecture.py`` fails on one.
"""

from typing import Self

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q

from haicap.core.scoping import CarriesScope, Scope, scope_of

# Whoever makes a request: a signed-in staff member (who carries a scope), or not.
Viewer = CarriesScope | AnonymousUser | None


class RestrictedQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope) -> Q:
        """The kind's one rule, as a condition on its rows (each scoped model says it)."""
        raise NotImplementedError(f"{self.model.__name__} has no scoping rule")

    def restrict(self, user: Viewer) -> Self:
        """The rows ``user`` may see (none for an anonymous visitor unless the rule says so)."""
        return self.filter(self.visible_to(scope_of(user)))


NOTHING = Q(pk__in=[])  # the condition no row meets
