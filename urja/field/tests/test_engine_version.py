"""The engines' versions recorded with a spot bill (urja.field.engine_version)."""

from __future__ import annotations

import re

import pytest

from urja.field import engine_version


def test_the_python_engine_version_names_its_sources() -> None:
    version = engine_version.python_engine_version()
    assert re.fullmatch(r"urja-py-[0-9a-f]{12}", version)


def test_the_python_engine_version_changes_with_the_engine(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    before = engine_version.python_engine_version()
    for name in engine_version.PYTHON_ENGINE_SOURCES:
        (tmp_path / name).write_bytes((engine_version._DOMAIN / name).read_bytes())
    (tmp_path / "rules.py").write_text((tmp_path / "rules.py").read_text() + "\n# a rule changed\n")
    monkeypatch.setattr(engine_version, "_DOMAIN", tmp_path)
    engine_version.python_engine_version.cache_clear()
    try:
        assert engine_version.python_engine_version() != before
    finally:
        engine_version.python_engine_version.cache_clear()


def test_the_js_engine_version_is_read_from_engine_js() -> None:
    assert engine_version.js_engine_version().startswith("urja-js-")
