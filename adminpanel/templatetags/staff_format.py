"""Number formats shared by the dashboard's templates and charts."""

from __future__ import annotations

from decimal import Decimal

from django import template

from adminpanel.charts import usd as usd_text

register = template.Library()


@register.filter
def usd(value: Decimal | float | int | None) -> str:
    """$1.23 for dollars, $0.0036 for fractions of a cent; empty for no value."""
    return "" if value is None else usd_text(float(value))
