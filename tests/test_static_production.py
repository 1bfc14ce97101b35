"""Production's static files: content-hashed names (cache-busted) and pre-compressed copies."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_collectstatic_hashes_and_compresses(tmp_path):
    with override_settings(STORAGES=settings.PRODUCTION_STORAGES, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    css = [p.name for p in (tmp_path / "css").iterdir() if p.name.startswith("urja.")]
    hashed = [name for name in css if name.endswith(".css") and name.count(".") == 2]
    assert hashed, css  # urja.<hash>.css
    assert any(name.endswith(".css.gz") for name in css) and any(name.endswith(".css.br") for name in css)
    assert (tmp_path / "staticfiles.json").exists()


def test_production_settings_use_them():
    text = (settings.PACKAGE_DIR / "settings" / "production.py").read_text()
    assert "STORAGES = PRODUCTION_STORAGES" in text


def test_every_static_file_a_template_names_exists():
    """Under the manifest storage a missing file named by {% static %} is a server error in production."""
    import re

    from django.contrib.staticfiles import finders

    names = set()
    for template in (settings.PACKAGE_DIR).rglob("templates/**/*.html"):
        names |= set(re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text()))
    assert names
    missing = sorted(name for name in names if finders.find(name) is None)
    assert missing == []
