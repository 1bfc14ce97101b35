"""A self-reading photo kept while the consumer answers a question is deleted when they never come back."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from urja.common import clock
from urja.portal.pending import PENDING_PREFIX, purge_pending_uploads


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def saved(name: str, hours_ago: float) -> str:
    """A file in storage whose modification time is `hours_ago` before the test's clock."""
    name = default_storage.save(name, ContentFile(b"\xff\xd8\xffphoto"))
    stamp = (clock.now() - datetime.timedelta(hours=hours_ago)).timestamp()
    os.utime(default_storage.path(name), (stamp, stamp))
    return name


def test_stale_stashed_photos_are_deleted_and_fresh_ones_kept(media):
    old = saved(f"{PENDING_PREFIX}old", hours_ago=25)
    fresh = saved(f"{PENDING_PREFIX}fresh", hours_ago=2)
    kept_elsewhere = saved("readings/2026/kept.jpg", hours_ago=500)
    assert purge_pending_uploads(older_than=datetime.timedelta(hours=24)) == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and default_storage.exists(kept_elsewhere)


def test_command_reports_what_it_deleted(media, capsys):
    saved(f"{PENDING_PREFIX}a", hours_ago=30)
    saved(f"{PENDING_PREFIX}b", hours_ago=1)
    call_command("portal_purge_pending", "--hours", "24")
    assert "1 " in capsys.readouterr().out
    assert len(default_storage.listdir(PENDING_PREFIX.rstrip("/"))[1]) == 1


def test_nothing_to_purge_without_the_folder(media):
    assert purge_pending_uploads(older_than=datetime.timedelta(hours=24)) == 0
