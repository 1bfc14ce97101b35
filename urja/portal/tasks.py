from celery import shared_task

from urja.portal.pending import purge_pending_uploads


@shared_task(name="urja.portal.purge_pending")
def purge_pending() -> int:
    return purge_pending_uploads()
