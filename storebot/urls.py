from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("directory/", include("directory.urls")),
    path("staff/", include("adminpanel.urls")),
    path("", include("conversations.urls")),
]
