"""Querysets in the order Vietnamese readers sort names (the shell of ``core.collation``)."""

from django.db.models import Case, IntegerField, QuerySet, When

from haicap.core.collation import vietnamese_key


def in_vietnamese_order(queryset: QuerySet, *fields: str) -> QuerySet:
    """The queryset ordered by ``fields`` as Vietnamese readers sort names
    (``haicap.core.collation``: "Đô Lương" after every D, before E; the database's own order puts
    Đ after Z). A field written "-unit__tier" sorts that part backwards. For the short lists the
    pages offer (a group's people, fields, agencies, communes): read once, ordered by position."""
    plain = [f.lstrip("-") for f in fields]
    rows = list(queryset.order_by().values_list("pk", *plain).distinct())

    def part(value: object) -> object:
        return vietnamese_key(value) if isinstance(value, str) else (value is None, value)

    rows.sort(key=lambda row: row[0])
    for index in reversed(range(len(fields))):  # stable sorts, last field first
        rows.sort(key=lambda row: part(row[index + 1]), reverse=fields[index].startswith("-"))
    if not rows:
        return queryset
    position = Case(
        *(When(pk=row[0], then=at) for at, row in enumerate(rows)), output_field=IntegerField()
    )
    return queryset.order_by(position)
