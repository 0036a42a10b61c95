"""Who may use the staff dashboard, checked once per view.

Signed out: the login page (with `next`). Signed in but not active staff: 403.
Works for sync and async views alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from inspect import iscoroutinefunction
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


class StaffRequest(HttpRequest):
    """What a dashboard view receives once `staff_required` has let it through."""

    user: User
    htmx: HtmxDetails


def _is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_required(view: ViewFunc) -> ViewFunc:
    """Let active staff through; send the signed-out to log in; refuse everyone else."""
    if iscoroutinefunction(view):
        async_view = cast(Callable[..., Awaitable[HttpResponseBase]], view)

        @wraps(view)
        async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = await request.auser()
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _is_staff(user):
                raise PermissionDenied("The staff dashboard is for staff members only.")
            return await async_view(request, *args, **kwargs)

        return cast(ViewFunc, async_wrapper)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_staff(request.user):
            raise PermissionDenied("The staff dashboard is for staff members only.")
        response: HttpResponseBase = view(request, *args, **kwargs)
        return response

    return cast(ViewFunc, wrapper)
