from decimal import Decimal
from typing import Any

import pytest

from urja.domain.theft import TheftParameters, assess


def params(**kw: Any) -> TheftParameters:
    base: dict[str, Any] = {
        "hours_per_day": Decimal("8"),
        "days": 365,
        "rate": Decimal("6.50"),
        "factor": Decimal("2"),
    }
    base.update(kw)
    return TheftParameters(**base)


def test_hand_figure_domestic_hook() -> None:
    # 2.5 kW hooked × 8 h × 365 d = 7,300 units; × 6.50 × 2 = 94,900.00
    a = assess(Decimal("2.5"), params())
    assert a.units == Decimal("7300.0")
    assert a.amount == Decimal("94900.00")


def test_hand_figure_rounds_once_half_up() -> None:
    # 0.333 kW × 10 h × 3 d = 9.99 units; × 5.55 × 1.5 = 83.16675 → 83.17
    a = assess(
        Decimal("0.333"),
        params(hours_per_day=Decimal("10"), days=3, rate=Decimal("5.55"), factor=Decimal("1.5")),
    )
    assert a.units == Decimal("9.990")
    assert a.amount == Decimal("83.17")
    assert isinstance(a.amount, Decimal)


def test_half_paisa_rounds_up() -> None:
    # 1 kW × 1 h × 1 d × 0.005 × 1 = 0.005 → 0.01 (half up, not to even)
    a = assess(
        Decimal("1"), params(hours_per_day=Decimal("1"), days=1, rate=Decimal("0.005"), factor=Decimal("1"))
    )
    assert a.amount == Decimal("0.01")


@pytest.mark.parametrize(
    "kw",
    [{"hours_per_day": Decimal("0")}, {"hours_per_day": Decimal("25")}, {"days": 0}, {"rate": Decimal("0")}],
)
def test_bad_parameters_refused(kw: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        params(**kw)


def test_load_must_be_positive() -> None:
    with pytest.raises(ValueError):
        assess(Decimal("0"), params())
