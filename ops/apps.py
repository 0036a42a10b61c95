from django.apps import AppConfig
from django.conf import settings


class OpsConfig(AppConfig):
    """The kernel every other app builds on: system configuration, the audit
    log, alerts, request context, tracing, redaction and model pricing. It
    imports no other app of the project."""

    name = "ops"
    verbose_name = "operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import got_request_exception
        from django_q.signals import post_execute_in_worker, pre_enqueue, pre_execute

        from ops import signals

        pre_enqueue.connect(signals.carry_request_id_into_task, dispatch_uid="storebot-carry-request-id")
        pre_execute.connect(signals.enter_task_scope, dispatch_uid="storebot-enter-task-scope")
        post_execute_in_worker.connect(signals.leave_task_scope, dispatch_uid="storebot-leave-task-scope")
        got_request_exception.connect(signals.audit_request_error, dispatch_uid="storebot-audit-request-error")

        # Langfuse and pydantic-ai instrumentation load only when tracing is configured.
        if settings.LANGFUSE_PUBLIC_KEY and settings.LANGFUSE_SECRET_KEY:
            from ops.tracing import tracing_init

            tracing_init()
