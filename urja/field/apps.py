from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "urja.field"
    label = "field"
    verbose_name = "Field app (spot billing and work orders)"
