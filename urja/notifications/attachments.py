"""What an e-mail carries. An outbox row names its attachment ("bill:42"), and the app that owns the
thing registers how to make it (`attachment_register("bill", ...)` in urja/billing/apps.py): the
notifications app, below billing, never imports it, and the file is made when the message is sent, by
the outbox's sender, not by the transaction that queued it (a bill run)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


class AttachmentGone(Exception):
    """The named thing can no longer be made (a bill since cancelled): the message is not sent."""


_MAKERS: dict[str, Callable[[str], Attachment]] = {}


def attachment_register(kind: str, maker: Callable[[str], Attachment]) -> None:
    _MAKERS[kind] = maker


def attachment_make(reference: str) -> Attachment:
    """The file a message's `attachment` names; AttachmentGone when it cannot be made."""
    kind, _sep, key = reference.partition(":")
    maker = _MAKERS.get(kind)
    if maker is None:
        raise AttachmentGone(f"no maker for attachments of kind {kind!r}")
    return maker(key)
