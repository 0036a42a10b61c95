"""Figures of related rows attached to each row of a list, as correlated subqueries.

Staff lists (conversations, users) show per-row totals without a query per
row and without a GROUP BY over the whole list: each figure is a subquery the
database evaluates for the rows of the page only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, DecimalField, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=12, decimal_places=6)


def total_of_related(
    related: QuerySet[Any], *, owner_field: str, aggregate: Aggregate, output: IntegerField | DecimalField
) -> Coalesce:
    """`aggregate` over `related` (already filtered on `owner_field=OuterRef("pk")`); 0 when there are none."""
    per_owner = related.order_by().values(owner_field).annotate(result=aggregate).values("result")
    zero = Value(Decimal(0)) if isinstance(output, DecimalField) else Value(0)
    return Coalesce(Subquery(per_owner, output_field=output), zero, output_field=output)
