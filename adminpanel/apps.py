from django.apps import AppConfig


class AdminpanelConfig(AppConfig):
    name = "adminpanel"
    default_auto_field = "django.db.models.BigAutoField"
