from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "urja.workflow"
    label = "workflow"
    verbose_name = "Workflow and work orders"
