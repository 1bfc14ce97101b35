"""Files the portal keeps for a moment between two requests: a self-reading photo waits in
`readings/pending/` while the consumer answers the question about its value. One who never answers
leaves it there; `urja portal_purge_pending` (and the beat task `urja.portal.purge_pending`, hourly)
deletes those older than a day."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage

from urja.common import clock

PENDING_PREFIX = "readings/pending/"


def purge_pending_uploads(*, older_than: datetime.timedelta = datetime.timedelta(hours=24)) -> int:
    """Delete the stashed files last written before now − `older_than`; how many were deleted."""
    folder = PENDING_PREFIX.rstrip("/")
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    cutoff = clock.now() - older_than
    deleted = 0
    for name in files:
        path = f"{PENDING_PREFIX}{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            deleted += 1
    return deleted
