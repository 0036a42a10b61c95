from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from storebot import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Before the admin's own URLs: its login page counts against the app's login throttle.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("directory/", include("directory.urls")),
    path("staff/", include("adminpanel.urls")),
    path("", include("conversations.urls")),
]
