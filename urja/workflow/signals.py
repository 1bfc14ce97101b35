"""Signals the engine sends, for apps above (or beside) it to connect in their `AppConfig.ready()`."""

from django.dispatch import Signal

#: Sent inside the sweep's transaction for every breach recorded: ``item`` (WorkItem) and
#: ``breach`` (services.Breach). A receiver that tells an officer queues its message on commit.
item_breached = Signal()
