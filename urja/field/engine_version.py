"""The bill engines' versions, recorded with every spot bill: which engine priced it on the device and
which on the server (docs/field-engine.md).

``JS_ENGINE_VERSION`` is read from engine.js itself (its ``ENGINE_VERSION`` export), so there is one
place to bump. The Python engine has no release number of its own; its version names the engine's
source as it is, so it changes exactly when the bill rules do.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

_FIELD = Path(__file__).resolve().parent
ENGINE_JS = _FIELD / "static" / "field" / "engine.js"
_DOMAIN = _FIELD.parent / "domain"
#: The Python modules the bill engine prices with (the ones engine.js mirrors).
PYTHON_ENGINE_SOURCES = (
    "engine.py",
    "rules.py",
    "money.py",
    "tariff.py",
    "load_limits.py",
    "demand.py",
    "solar.py",
)

_EXPORT = re.compile(r'^export const ENGINE_VERSION = "([^"]+)";$', re.MULTILINE)


@cache
def js_engine_version() -> str:
    """engine.js's ``ENGINE_VERSION``, e.g. ``"urja-js-1"``."""
    match = _EXPORT.search(ENGINE_JS.read_text(encoding="utf-8"))
    if match is None:
        raise RuntimeError(f"{ENGINE_JS} exports no ENGINE_VERSION")
    return match.group(1)


@cache
def python_engine_version() -> str:
    """``"urja-py-"`` and the first 12 hex digits of the SHA-256 of the engine's Python sources."""
    digest = hashlib.sha256()
    for name in PYTHON_ENGINE_SOURCES:
        digest.update(name.encode())
        digest.update((_DOMAIN / name).read_bytes())
    return f"urja-py-{digest.hexdigest()[:12]}"
