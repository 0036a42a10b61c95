"""Directory pages: the store list with search, inline add/edit/delete, the
trash, CSV export, and CSV import with its progress and report.

Every view acts for `request.user` only; the access helpers fetch the user's
own store or import job or raise Http404, so another user's ids look like ids
that do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from directory.csv_export import import_report_csv, stores_csv
from directory.csv_import import CsvRejected, describe_size
from directory.forms import ImportForm, StoreForm, Upload
from directory.importer import DUPLICATE, INVALID, SAVED, import_job_create
from directory.models import PHONE_SEARCH_MIN_DIGITS, STORE_NAME_MAX_LENGTH, ImportJob, Store
from directory.phones import PhoneError, digits_only, format_phone
from directory.selectors import (
    import_job_get,
    import_jobs_recent,
    store_get,
    store_list,
    store_search_by_name,
    store_search_by_phone,
)
from directory.services import StoreError, store_restore, store_save, store_soft_delete, store_update
from directory.upload_limit import import_upload_allow
from ops.config import get_config

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

PAGE_SIZE = 25
SEARCH_LIMIT = 50
SORTS = {"name": "Name, A to Z", "-name": "Name, Z to A", "-created": "Newest first", "created": "Oldest first"}
REPORT_FILTERS = {"all": "All rows", SAVED: "Saved", DUPLICATE: "Duplicates", INVALID: "Invalid"}
# htmx stops polling an element whose response has this status (hx-trigger="every 1s").
HTMX_STOP_POLLING = 286


class DirectoryRequest(HttpRequest):
    """What a view here receives once `login_required` has let it through."""

    user: User
    htmx: HtmxDetails


@dataclass(frozen=True)
class StoreRow:
    """A store as a table row: the number formatted for reading beside its E.164 form."""

    store: Store
    phone_display: str


# ---- Access helpers ---------------------------------------------------------


def _own_store(request: DirectoryRequest, store_id: int, *, include_deleted: bool = False) -> Store:
    try:
        return store_get(user=request.user, store_id=store_id, include_deleted=include_deleted)
    except Store.DoesNotExist:
        raise Http404("No such store in your directory.") from None


def _own_job(request: DirectoryRequest, job_id: int) -> ImportJob:
    try:
        return import_job_get(user=request.user, job_id=job_id)
    except ImportJob.DoesNotExist:
        raise Http404("No such import.") from None


def _row(store: Store, region: str) -> StoreRow:
    try:
        display = format_phone(store.phone_e164, region=region)
    except PhoneError:
        display = store.phone_e164
    return StoreRow(store=store, phone_display=display)


def _rows(stores: list[Store] | Page[Store], region: str) -> list[StoreRow]:
    return [_row(store, region) for store in stores]


# ---- The store list ------------------------------------------------------------


@login_required
@require_GET
def store_list_page(request: DirectoryRequest) -> HttpResponse:
    """The directory. htmx asks for one part: the results (search as you type,
    sort, pages, reload after an add)."""
    context = _results_context(request)
    if request.htmx.target == "store-results":
        return render(request, "directory/store_list.html#results", context)
    context |= _counts(request.user) | {"form": _add_form(request)}
    return render(request, "directory/store_list.html", context)


def _counts(user: User) -> dict[str, int]:
    return {"total": store_list(user=user).count(), "deleted_count": store_list(user=user, deleted=True).count()}


def _with_counts(request: DirectoryRequest, response: HttpResponse) -> HttpResponse:
    """Append the page's store counts as an out-of-band swap.

    They travel with the response that changed them: a follow-up request for
    them could be dropped by htmx while the counts element itself was being
    swapped (delete, undo and delete again in quick succession).
    """
    counts = render(request, "directory/store_list.html#store-counts", _counts(request.user) | {"oob": True})
    response.content += counts.content
    return response


def _add_form(request: DirectoryRequest, data: Any = None) -> StoreForm:
    return StoreForm(data, region=request.user.default_region, auto_id="add-%s")


def _edit_form(request: DirectoryRequest, store: Store, data: Any = None) -> StoreForm:
    initial = {"store_name": store.store_name, "phone": store.phone_original}
    return StoreForm(data, initial=initial, region=request.user.default_region, auto_id=f"edit-{store.pk}-%s")


def _results_context(request: DirectoryRequest) -> dict[str, Any]:
    user = request.user
    query = request.GET.get("q", "").strip()[:STORE_NAME_MAX_LENGTH]
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    context: dict[str, Any] = {"query": query, "sort": sort, "sorts": SORTS}
    if query:
        context["rows"] = _rows(_search(user, query), user.default_region)
        context["page_obj"] = None
    else:
        page = Paginator(store_list(user=user, order=sort), PAGE_SIZE).get_page(request.GET.get("page"))
        context["rows"] = _rows(page, user.default_region)
        context["page_obj"] = page
    return context


def _search(user: User, query: str) -> list[Store]:
    """The same fuzzy search as chat: by number when the query is digits, else by name."""
    is_number = not any(char.isalpha() for char in query)
    if is_number and len(digits_only(query)) >= PHONE_SEARCH_MIN_DIGITS:
        return store_search_by_phone(user=user, digits=query, limit=SEARCH_LIMIT)
    return [match.store for match in store_search_by_name(user=user, query=query, limit=SEARCH_LIMIT)]


@login_required
@require_POST
def store_add(request: DirectoryRequest) -> HttpResponse:
    form = _add_form(request, request.POST)
    saved: Store | None = None
    if form.is_valid():
        try:
            result = store_save(
                user=request.user,
                store_name=form.cleaned_data["store_name"],
                phone=form.cleaned_data["phone"].original,
            )
        except StoreError as error:
            form.add_service_error(error)
        else:
            if result.created:
                saved = result.store
            else:
                form.add_error("phone", f"This number is already saved as “{result.store.store_name}”.")
    if not request.htmx:
        if saved is None:
            context = _results_context(request) | _counts(request.user) | {"form": form}
            return render(request, "directory/store_list.html", context, status=400)
        messages.success(request, f"Saved “{saved.store_name}”.")
        return redirect("directory:list")
    if saved is None:
        return render(request, "directory/store_list.html#add-form", {"form": form})
    context = {"form": _add_form(request), "saved": _row(saved, request.user.default_region)}
    response = render(request, "directory/store_list.html#add-form", context)
    # The results list listens for this and reloads itself with the current search and sort.
    response["HX-Trigger"] = "storesChanged"
    return _with_counts(request, response)


@login_required
@require_GET
def store_row(request: DirectoryRequest, store_id: int) -> HttpResponse:
    """One row as displayed (what Cancel on an inline edit swaps back)."""
    store = _own_store(request, store_id)
    return render(request, "directory/store_list.html#store-row", {"row": _row(store, request.user.default_region)})


@login_required
@require_http_methods(["GET", "POST"])
def store_edit(request: DirectoryRequest, store_id: int) -> HttpResponse:
    store = _own_store(request, store_id)
    region = request.user.default_region
    form = _edit_form(request, store, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            store = store_update(
                user=request.user,
                store_id=store.pk,
                store_name=form.cleaned_data["store_name"],
                phone=form.cleaned_data["phone"].original,
            )
        except StoreError as error:
            form.add_service_error(error)
        else:
            if not request.htmx:
                messages.success(request, f"Saved “{store.store_name}”.")
                return redirect("directory:list")
            return render(request, "directory/store_list.html#store-row", {"row": _row(store, region)})
    context = {"store": store, "form": form}
    if request.htmx:
        return render(request, "directory/store_list.html#store-row-edit", context)
    return render(request, "directory/store_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def store_delete(request: DirectoryRequest, store_id: int) -> HttpResponse:
    store = _own_store(request, store_id)
    store = store_soft_delete(user=request.user, store_id=store.pk)
    if request.htmx:
        response = render(request, "directory/store_list.html#store-row-deleted", {"store": store})
        return _with_counts(request, response)
    messages.success(request, f"Deleted “{store.store_name}”. You can restore it from Recently deleted.")
    return redirect("directory:list")


@login_required
@require_POST
def store_restore_view(request: DirectoryRequest, store_id: int) -> HttpResponse:
    """Undo a delete (from the list) or restore from the trash (`from=trash`)."""
    store = _own_store(request, store_id, include_deleted=True)
    from_trash = request.POST.get("from") == "trash"
    error = ""
    try:
        store = store_restore(user=request.user, store_id=store.pk)
    except StoreError as refusal:
        error = str(refusal)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Restored “{store.store_name}”.")
        return redirect("directory:deleted" if from_trash else "directory:list")
    if from_trash:
        context = {"store": store, "error": error, "row": _row(store, request.user.default_region)}
        return render(request, "directory/deleted_list.html#trash-row", context | _trash_clock())
    if error:
        return render(request, "directory/store_list.html#store-row-deleted", {"store": store, "error": error})
    response = render(request, "directory/store_list.html#store-row", {"row": _row(store, request.user.default_region)})
    return _with_counts(request, response)


@login_required
@require_GET
def deleted_list_page(request: DirectoryRequest) -> HttpResponse:
    stores: QuerySet[Store] = store_list(user=request.user, deleted=True).order_by("-deleted_at", "-id")
    page = Paginator(stores, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"rows": _rows(page, request.user.default_region), "page_obj": page}
    return render(request, "directory/deleted_list.html", context | _trash_clock())


def _trash_clock() -> dict[str, Any]:
    # Under a minute, timesince says "0 minutes"; the trash says "Just now".
    return {"a_minute_ago": timezone.now() - timedelta(minutes=1)}


@login_required
@require_GET
def store_export(request: DirectoryRequest) -> HttpResponse:
    stores = store_list(user=request.user, order="name")
    response = HttpResponse(
        stores_csv(stores.iterator(), region=request.user.default_region), content_type="text/csv; charset=utf-8"
    )
    filename = f"storebot-stores-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- CSV import ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: DirectoryRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        allowance = import_upload_allow(user=request.user)
        if not allowance.allowed:
            form.add_error("file", allowance.message)
            response = _import_form_page(request, form, status=429)
            response["Retry-After"] = str(allowance.retry_after_seconds)
            return response
        upload: Upload = form.cleaned_data["file"]
        try:
            job = import_job_create(user=request.user, filename=upload.name, content=upload.content)
        except CsvRejected as rejection:
            form.add_error("file", str(rejection))
        else:
            return redirect("directory:import-job", job_id=job.pk)
    return _import_form_page(request, form, status=400 if form.errors else 200)


def _import_form_page(request: DirectoryRequest, form: ImportForm, *, status: int) -> HttpResponse:
    config = get_config()
    context = {
        "form": form,
        "jobs": import_jobs_recent(user=request.user),
        "max_rows": config.csv_max_rows,
        "max_size": describe_size(config.csv_max_bytes),
    }
    return render(request, "directory/import.html", context, status=status)


@login_required
@require_GET
def import_job_page(request: DirectoryRequest, job_id: int) -> HttpResponse:
    """The job's progress while it runs, then its report. Polled by htmx every second."""
    job = _own_job(request, job_id)
    show = request.GET.get("show", "all")
    if show not in REPORT_FILTERS:
        show = "all"
    entries = [entry for entry in job.report if show in ("all", entry["outcome"])]
    context = {"job": job, "entries": entries, "show": show, "report_filters": REPORT_FILTERS}
    if request.htmx.target == "import-progress":
        status = HTMX_STOP_POLLING if job.is_finished else 200
        return render(request, "directory/import_job.html#progress", context, status=status)
    return render(request, "directory/import_job.html", context)


@login_required
@require_GET
def import_report_download(request: DirectoryRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    if not job.is_finished:
        raise Http404("The report is ready when the import has finished.")
    response = HttpResponse(import_report_csv(job.report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response
