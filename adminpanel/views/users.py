"""User management: find a person, see their usage, change their access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from adminpanel.access import StaffRequest, staff_required
from adminpanel.charts import Series, bar_chart, usd
from adminpanel.forms import BudgetForm, UserSearchForm, tidy_money
from adminpanel.selectors.paging import page_of
from adminpanel.selectors.users import USAGE_DAYS, user_activity, user_for_staff, user_list
from adminpanel.services import (
    UserManagementError,
    user_changeable_by,
    user_reset_passphrase,
    user_set_active,
    user_set_budget,
    user_set_staff,
)
from adminpanel.views.partials import page_number, page_query, render_page
from ops.config import get_config

PAGE_SIZE = 50


def _target(user_id: int) -> User:
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist as error:
        raise Http404("No such user.") from error


@require_GET
@staff_required
def users(request: StaffRequest) -> HttpResponse:
    form = UserSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    today = timezone.localdate()
    page = page_of(user_list(search=search, today=today), number=page_number(request), size=PAGE_SIZE)
    context = {
        "form": form,
        "search": search,
        "page": page,
        "query": page_query(request),
        "default_budget": get_config().per_user_daily_budget_usd,
        "section": "users",
    }
    return render_page(request, "adminpanel/users.html", context, partial="results")


@require_GET
@staff_required
def user_detail(request: StaffRequest, user_id: int) -> HttpResponse:
    today = timezone.localdate()
    try:
        person = user_for_staff(user_id=user_id, today=today)
    except User.DoesNotExist as error:
        raise Http404("No such user.") from error
    activity = user_activity(user=person, today=today, days=USAGE_DAYS)
    by_day = {row.date: row for row in activity.usage_days}
    labels = [today - timedelta(days=n) for n in range(USAGE_DAYS - 1, -1, -1)]
    spend = bar_chart(
        key="user-spend",
        title=f"Spend, last {USAGE_DAYS} days",
        labels=labels,
        series=[Series("Cost", [float(by_day[d].cost_usd) if d in by_day else 0 for d in labels])],
        formatter=usd,
    )
    context = {
        "person": person,
        "activity": activity,
        "spend": spend,
        "budget_form": BudgetForm(initial={"daily_budget_usd": tidy_money(person.daily_budget_usd)}),
        "default_budget": get_config().per_user_daily_budget_usd,
        "is_self": person.pk == request.user.pk,
        "can_change": user_changeable_by(actor=request.user, user=person),
        "section": "users",
    }
    return render(request, "adminpanel/user_detail.html", context)


def _back_to(user_id: int) -> HttpResponseRedirect:
    return redirect("adminpanel:user", user_id=user_id)


def _apply(request: StaffRequest, person: User, change: Callable[[], object], *, done: str) -> HttpResponse:
    """Run a staff change on `person`; flash its refusal or `done`; back to their page."""
    try:
        change()
    except UserManagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back_to(person.pk)


@require_POST
@staff_required
def user_active(request: StaffRequest, user_id: int) -> HttpResponse:
    person = _target(user_id)
    make_active = request.POST.get("active") == "1"
    return _apply(
        request,
        person,
        lambda: user_set_active(actor=request.user, user=person, is_active=make_active),
        done=f"{person.email} is {'active' if make_active else 'deactivated'}.",
    )


@require_POST
@staff_required
def user_staff(request: StaffRequest, user_id: int) -> HttpResponse:
    person = _target(user_id)
    make_staff = request.POST.get("staff") == "1"
    verb = "can now use" if make_staff else "can no longer use"
    return _apply(
        request,
        person,
        lambda: user_set_staff(actor=request.user, user=person, is_staff=make_staff),
        done=f"{person.email} {verb} the staff dashboard.",
    )


@require_POST
@staff_required
def user_passphrase_reset(request: StaffRequest, user_id: int) -> HttpResponse:
    person = _target(user_id)
    return _apply(
        request,
        person,
        lambda: user_reset_passphrase(actor=request.user, user=person),
        done=f"{person.email}'s passphrase is cleared; they must set a new one in Settings.",
    )


@require_POST
@staff_required
def user_budget(request: StaffRequest, user_id: int) -> HttpResponse:
    person = _target(user_id)
    form = BudgetForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("daily_budget_usd", []):
            messages.error(request, f"Budget not changed: {error}")
        return _back_to(user_id)
    budget = form.cleaned_data["daily_budget_usd"]
    shown = f"${budget:.2f} a day" if budget is not None else "the system-wide default"
    return _apply(
        request,
        person,
        lambda: user_set_budget(actor=request.user, user=person, daily_budget_usd=budget),
        done=f"{person.email}'s budget is now {shown}.",
    )
