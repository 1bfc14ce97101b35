from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from urja.domain.tariff import (
    CATEGORY_CODES,
    LoadBand,
    Slab,
    TariffVersion,
    default_tariff_book,
    tariff_book_from_dicts,
    tariff_book_to_dicts,
    version_in_force,
)


def test_default_book_has_one_open_version_per_category_with_a_source() -> None:
    book = default_tariff_book()

    assert [version.category for version in book] == list(CATEGORY_CODES)
    for version in book:
        assert version.effective_from == date(2025, 4, 1)
        assert version.effective_to is None
        assert version.source


def test_book_round_trips_through_json() -> None:
    book = default_tariff_book()

    assert tariff_book_from_dicts(json.loads(json.dumps(tariff_book_to_dicts(book)))) == book


def test_lmv2_load_bands() -> None:
    lmv2 = version_in_force(default_tariff_book(), "LMV2-URBAN", date(2025, 6, 1))

    assert lmv2.band_for(Decimal(4)).fixed_rate == Decimal(330)
    assert lmv2.band_for(Decimal(5)).fixed_rate == Decimal(450)


def test_latest_effective_version_wins() -> None:
    old = version_in_force(default_tariff_book(), "LMV6", date(2025, 6, 1))
    new = TariffVersion.from_dict({**old.to_dict(), "effective_from": "2025-07-01", "label": "new"})

    assert version_in_force([old, new], "LMV6", date(2025, 6, 30)) is old
    assert version_in_force([old, new], "LMV6", date(2025, 7, 1)) is new


def test_slabs_must_be_increasing_and_end_unlimited() -> None:
    with pytest.raises(ValueError, match="no upper limit"):
        LoadBand(None, Decimal(1), (Slab(Decimal(100), Decimal(1)),))
    with pytest.raises(ValueError, match="increasing"):
        LoadBand(
            None,
            Decimal(1),
            (Slab(Decimal(100), Decimal(1)), Slab(Decimal(50), Decimal(2)), Slab(None, Decimal(3))),
        )


def test_amounts_must_not_be_floats() -> None:
    data = default_tariff_book()[0].to_dict()
    data["duty_percent"] = 5.0
    with pytest.raises(TypeError):
        TariffVersion.from_dict(data)
