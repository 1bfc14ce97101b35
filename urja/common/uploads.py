"""Checks on files people upload (photos, documents): the type is read from the file's first bytes,
not trusted from its name or the browser's content type, and the size is bounded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The first bytes of each accepted kind of file.
SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF",),
}
IMAGE_KINDS = ("jpeg", "png")
DOCUMENT_KINDS = ("pdf", "jpeg", "png")


def file_kind(upload) -> str | None:
    """ "jpeg", "png" or "pdf" by the file's first bytes; None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def check_upload(upload, *, kinds: tuple[str, ...], max_bytes: int, field: str = "file") -> str:
    """Refuse an empty, oversized or wrongly typed file (ValidationError on `field`); its kind if fine."""
    if upload is None or not upload.size:
        raise ValidationError({field: _("The file is empty.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {field: _("The file may be at most %(size)s MB.") % {"size": _megabytes(max_bytes)}}
        )
    kind = file_kind(upload)
    if kind not in kinds:
        if kinds == IMAGE_KINDS:
            raise ValidationError({field: _("Upload a photo as a JPEG or PNG file.")})
        raise ValidationError({field: _("Upload a PDF, JPEG or PNG file.")})
    return kind
