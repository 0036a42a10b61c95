from django.urls import path

from adminpanel.views import audit, config, inspector, metrics, prompts, users

app_name = "adminpanel"

urlpatterns = [
    path("", metrics.metrics, name="metrics"),
    path("conversations/", inspector.conversation_list, name="conversations"),
    path("conversations/<int:conversation_id>/", inspector.conversation_detail, name="conversation"),
    path("users/", users.users, name="users"),
    path("users/<int:user_id>/", users.user_detail, name="user"),
    path("users/<int:user_id>/active/", users.user_active, name="user_active"),
    path("users/<int:user_id>/staff/", users.user_staff, name="user_staff"),
    path("users/<int:user_id>/reset-passphrase/", users.user_passphrase_reset, name="user_passphrase_reset"),
    path("users/<int:user_id>/budget/", users.user_budget, name="user_budget"),
    path("prompts/", prompts.prompts_home, name="prompts"),
    path("prompts/versions/<int:version_id>/", prompts.prompt_version, name="prompt_version"),
    path("prompts/versions/<int:version_id>/activate/", prompts.prompt_version_activate, name="prompt_activate"),
    path("prompts/<str:role>/", prompts.prompt_editor, name="prompt_role"),
    path("prompts/<str:role>/diff/", prompts.prompt_draft_diff, name="prompt_diff"),
    path("prompts/<str:role>/try/", prompts.prompt_draft_try, name="prompt_try"),
    path("config/", config.system_config, name="config"),
    path("audit/", audit.audit_log, name="audit"),
]
