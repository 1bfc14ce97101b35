from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "urja.notifications"
    label = "notifications"
    verbose_name = "Notifications"
