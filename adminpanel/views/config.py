"""System configuration: budgets, limits, retention and models, every change audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from adminpanel.access import StaffRequest, staff_required
from adminpanel.forms import SystemConfigForm
from adminpanel.services import config_update
from ops.models import SystemConfig


@require_http_methods(["GET", "POST"])
@staff_required
def system_config(request: StaffRequest) -> HttpResponse:
    # A fresh row, never the cached one: the form writes its values onto the instance.
    current, _ = SystemConfig.objects.select_related("updated_by").get_or_create(pk=1)
    form = SystemConfigForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            config_update(user=request.user, changes=form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            changed = [str(form.fields[name].label) for name in form.changed_data]
            if changed:
                messages.success(request, f"Saved {', '.join(changed)}. It applies from the next request.")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("adminpanel:config")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "sections": form.sections(), "config": current, "section": "config"}
    return render(request, "adminpanel/config.html", context, status=status)
