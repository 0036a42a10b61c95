from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.store_list_page, name="list"),
    path("add/", views.store_add, name="add"),
    path("deleted/", views.deleted_list_page, name="deleted"),
    path("export.csv", views.store_export, name="export"),
    path("<int:store_id>/", views.store_row, name="row"),
    path("<int:store_id>/edit/", views.store_edit, name="edit"),
    path("<int:store_id>/delete/", views.store_delete, name="delete"),
    path("<int:store_id>/restore/", views.store_restore_view, name="restore"),
    path("import/", views.import_page, name="import"),
    path("import/<int:job_id>/", views.import_job_page, name="import-job"),
    path("import/<int:job_id>/report.csv", views.import_report_download, name="import-report"),
]
