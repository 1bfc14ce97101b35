from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "urja.common"
    label = "common"
