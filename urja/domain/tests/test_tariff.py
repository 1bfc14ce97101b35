from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from urja.domain.tariff import (
    CATEGORY_CODES,
    LoadBand,
    Slab,
    TariffBook,
    TariffVersion,
    tariff_book_from_dicts,
    tariff_book_to_dicts,
    version_in_force,
    versions_of,
)
from urja.domain.tariff_book import current_tariff_book, default_tariff_book


def test_default_book_has_one_open_version_per_category_with_a_source() -> None:
    book = current_tariff_book()

    assert [version.category for version in book] == list(CATEGORY_CODES)
    assert default_tariff_book()[: len(book)] == book
    for version in book:
        assert version.effective_from == date(2025, 4, 1)
        assert version.effective_to is None
        assert version.source


def test_book_round_trips_through_json() -> None:
    book = default_tariff_book()

    assert tariff_book_from_dicts(json.loads(json.dumps(tariff_book_to_dicts(book)))) == list(book)


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


def test_new_fields_round_trip_and_default_for_old_data() -> None:
    lmv6 = version_in_force(default_tariff_book(), "LMV6", date(2025, 6, 1))
    assert lmv6.max_load == Decimal(75) and lmv6.min_load is None
    assert "bands" in lmv6.uncertain
    assert TariffVersion.from_dict(lmv6.to_dict()) == lmv6
    old = lmv6.to_dict()
    for key in ("min_load", "max_load", "uncertain"):
        old.pop(key)
    legacy = TariffVersion.from_dict(old)
    assert (legacy.min_load, legacy.max_load, legacy.uncertain) == (None, None, ())
    with pytest.raises(ValueError, match="max_load"):
        TariffVersion.from_dict({**old, "min_load": "10", "max_load": "5"})


def test_every_category_is_priced_back_to_the_fy_2019_20_order() -> None:
    book = default_tariff_book()
    for code in CATEGORY_CODES:
        for day in (
            date(2019, 9, 12),
            date(2022, 7, 22),
            date(2022, 7, 23),
            date(2025, 3, 31),
            date(2025, 4, 1),
        ):
            version = version_in_force(book, code, day)
            assert version.source
            if day < date(2025, 4, 1):
                assert "effective_from" in version.uncertain
        with pytest.raises(ValueError, match="no .* tariff is in force"):
            version_in_force(book, code, date(2019, 9, 11))


def test_domestic_slabs_before_the_fy_2022_23_revision() -> None:
    book = default_tariff_book()
    urban = version_in_force(book, "LMV1-URBAN", date(2021, 1, 1))
    assert [(s.upto, s.rate) for s in urban.bands[0].slabs] == [
        (Decimal(150), Decimal("5.50")),
        (Decimal(300), Decimal("6.00")),
        (Decimal(500), Decimal("6.50")),
        (None, Decimal("7.00")),
    ]
    rural = version_in_force(book, "LMV1-RURAL", date(2022, 7, 22))
    assert [s.rate for s in rural.bands[0].slabs][-1] == Decimal("6.00")
    assert version_in_force(book, "LMV1-RURAL", date(2022, 7, 23)).label == "FY 2022-23"
    assert version_in_force(book, "LMV6", date(2022, 7, 23)).label == "FY 2019-20"


def test_uncertain_values_are_named_and_sourced() -> None:
    names = {"bands", "fixed_rate", "duty_percent", "max_load", "min_load", "effective_from", "effective_to"}
    for version in default_tariff_book():
        assert set(version.uncertain) <= names, version.category
        if version.category not in {
            "LMV1-LIFELINE",
            "LMV1-RURAL-UM",
            "LMV1-RURAL",
            "LMV1-URBAN",
            "LMV5-RURAL-UM",
            "LMV5-RURAL",
            "LMV5-URBAN",
            "LMV11",
        }:
            assert version.uncertain, version.category
            assert "uncertain" in version.source, version.category


def test_a_book_answers_a_category_like_a_scan_of_its_versions() -> None:
    book = default_tariff_book()
    assert isinstance(book, TariffBook)
    for code in {version.category for version in book} | {"NO-SUCH"}:
        assert list(book.of(code)) == [version for version in book if version.category == code]
        assert list(versions_of(book, code)) == list(versions_of(list(book), code))
    for day in (date(2019, 9, 12), date(2023, 1, 1), date(2025, 4, 1), date(2026, 11, 1)):
        for code in ("LMV1-URBAN", "LMV5-RURAL", "LMV2-URBAN"):
            assert version_in_force(book, code, day) is version_in_force(list(book), code, day)


def test_the_source_check_of_the_book_is_reflected_in_its_uncertain_marks() -> None:
    # docs/tariff-sources.md: the urban domestic fixed charge of Rs 110/kW was kept by the FY 2020-21
    # order (powerline.net.in 2020-11-12), so the FY 2019-20 version no longer marks it uncertain; the
    # LMV-1(b) energy rate 6.20 is only the EV-charging rate in such buildings (bijlibabu.com, mercom
    # 2019), so the bulk-supply rates stay uncertain.
    book = default_tariff_book()
    old_urban = version_in_force(book, "LMV1-URBAN", date(2021, 1, 1))
    assert old_urban.bands[0].fixed_rate == Decimal("110")
    assert "fixed_rate" not in old_urban.uncertain
    assert "powerline.net.in" in old_urban.source
    for day in (date(2021, 1, 1), date(2025, 4, 1)):
        bulk = version_in_force(book, "LMV1-BULK", day)
        assert {"bands", "duty_percent"} <= set(bulk.uncertain)
        assert "EV charging" in bulk.source
