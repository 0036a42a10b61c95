"""The live prompt editor: versions per role, edit, compare, try, activate, roll back.

Writes go through conversations.prompts (versioned, audited, cache cleared so
the next chat turn uses the active version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from adminpanel.access import StaffRequest, staff_required
from adminpanel.forms import PromptTryForm, PromptVersionForm
from adminpanel.selectors.prompts import prompt_diff, prompt_versions
from conversations.llm import PROVIDER_ERRORS, describe_provider_error
from conversations.models import PromptVersion
from conversations.prompts import (
    PromptError,
    prompt_activate,
    prompt_active_body,
    prompt_create_version,
)
from conversations.services import prompt_try

if TYPE_CHECKING:
    from accounts.models import User

ROLE_HELP = {
    "classifier": "Reads each message and returns its intent and the store names and numbers in it.",
    "agent": "Phrases every reply from what Python decided and did.",
    "summarizer": "Writes the summary of a conversation when it ends.",
}


def _check_role(role: str) -> str:
    if role not in PromptVersion.ROLES:
        raise Http404("No such prompt role.")
    return role


def _version(version_id: int) -> PromptVersion:
    try:
        return PromptVersion.objects.select_related("created_by").get(pk=version_id)
    except PromptVersion.DoesNotExist as error:
        raise Http404("No such prompt version.") from error


@require_GET
@staff_required
def prompts_home(request: StaffRequest) -> HttpResponse:
    return redirect("adminpanel:prompt_role", role=PromptVersion.ROLES[0])


def _editor_context(role: str, versions: list[PromptVersion], form: PromptVersionForm) -> dict[str, object]:
    active = next((v for v in versions if v.is_active), None)
    return {
        "role": role,
        "roles": [(r, r == role) for r in PromptVersion.ROLES],
        "role_help": ROLE_HELP[role],
        "versions": versions,
        "active": active,
        "form": form,
        "section": "prompts",
    }


def _save_version(request: StaffRequest, *, role: str, form: PromptVersionForm, active_body: str) -> bool:
    """Create the version (and activate it if asked); False with the reason on the form if refused."""
    body, activate = form.cleaned_data["body"], form.cleaned_data["activate"]
    if body == active_body.strip() and not activate:
        form.add_error("body", "This is the same as the active prompt: change something first.")
        return False
    try:
        version = prompt_create_version(role=role, body=body, note=form.cleaned_data["note"], user=request.user)
        if activate:
            prompt_activate(version_id=version.pk, user=request.user)
    except PromptError as error:
        form.add_error("body", str(error))
        return False
    state = "saved and active: the next turn uses it" if activate else "saved (not active yet)"
    messages.success(request, f"{role.capitalize()} prompt v{version.version} {state}.")
    return True


@require_http_methods(["GET", "POST"])
@staff_required
def prompt_editor(request: StaffRequest, role: str) -> HttpResponse:
    _check_role(role)
    versions = prompt_versions(role=role)
    active_body = prompt_active_body(role)
    if request.method == "POST":
        form = PromptVersionForm(request.POST)
        if form.is_valid() and _save_version(request, role=role, form=form, active_body=active_body):
            return redirect("adminpanel:prompt_role", role=role)
        return render(request, "adminpanel/prompts.html", _editor_context(role, versions, form), status=400)
    editing_from = None
    if start_from := request.GET.get("from", "").strip():
        editing_from = next((v for v in versions if str(v.pk) == start_from), None)
        if editing_from is None:
            raise Http404("No such prompt version for this role.")
    form = PromptVersionForm(initial={"body": editing_from.body if editing_from else active_body})
    context = _editor_context(role, versions, form)
    context["editing_from"] = editing_from
    return render(request, "adminpanel/prompts.html", context)


@require_GET
@staff_required
def prompt_version(request: StaffRequest, version_id: int) -> HttpResponse:
    version = _version(version_id)
    active_body = prompt_active_body(version.role)
    context = {
        "version": version,
        "role": version.role,
        "diff": prompt_diff(before=active_body, after=version.body),
        "section": "prompts",
    }
    return render(request, "adminpanel/prompt_version.html", context)


@require_POST
@staff_required
def prompt_version_activate(request: StaffRequest, version_id: int) -> HttpResponse:
    version = _version(version_id)
    previous = PromptVersion.objects.filter(role=version.role, is_active=True).first()
    try:
        prompt_activate(version_id=version.pk, user=request.user)
    except PromptError as error:
        messages.error(request, str(error))
    else:
        rolled_back = previous is not None and previous.version > version.version
        verb = "Rolled back to" if rolled_back else "Activated"
        messages.success(request, f"{verb} {version.role} prompt v{version.version}: the next turn uses it.")
    return redirect("adminpanel:prompt_role", role=version.role)


@require_POST
@staff_required
def prompt_draft_diff(request: StaffRequest, role: str) -> HttpResponse:
    """The draft in the editor compared with the active version (an htmx fragment)."""
    _check_role(role)
    draft = request.POST.get("body", "").replace("\r\n", "\n").strip()
    diff = prompt_diff(before=prompt_active_body(role), after=draft)
    return render(request, "adminpanel/_prompt_diff.html", {"diff": diff, "compared_with": "the active version"})


@require_POST
@staff_required
async def prompt_draft_try(request: StaffRequest, role: str) -> HttpResponse:
    """Run a sample message through the current model with the draft prompt (an htmx fragment)."""
    _check_role(role)
    form = PromptTryForm(request.POST)
    context: dict[str, object] = {"sample": request.POST.get("sample", "")}
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render(request, "adminpanel/_prompt_try.html", context, status=400)
    try:
        context["output"] = await prompt_try(
            role=role,
            body=form.cleaned_data["body"],
            sample=form.cleaned_data["sample"],
            user=cast("User", await request.auser()),  # staff_required let only staff through
        )
    except PromptError as error:
        context["error"] = str(error)
    except ImproperlyConfigured as error:
        context["error"] = f"The model is not configured: {error}"
    except PROVIDER_ERRORS as error:
        context["error"] = f"The model provider failed: {describe_provider_error(error)}"
    return render(request, "adminpanel/_prompt_try.html", context)
