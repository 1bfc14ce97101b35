"""`energy_import` and `urja energy import`: a bad file is refused whole, with every line's reason."""

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from urja.energyaudit.models import InputEnergy
from urja.energyaudit.services import EnergyImportError, energy_import
from urja.metering.models import Meter

HEADER = "level,code,period,kwh,meter\n"


def problems(text):
    with pytest.raises(EnergyImportError) as caught:
        energy_import(text=text)
    assert not InputEnergy.objects.exists(), "nothing may be written from a rejected file"
    return [(p.line, p.reason) for p in caught.value.problems]


def test_a_good_file_is_imported(network):
    Meter.objects.create(serial="FM-0001", office=network["sda"])
    result = energy_import(
        text=HEADER
        + "feeder,FA,2025-07,125000.50,FM-0001\nFEEDER,FA,2025-08,120000,\ndt,A1,2025-07,4100,\n\n",
        source="july.csv",
    )
    assert (result.imported, result.flagged) == (3, [])
    rows = list(InputEnergy.objects.values_list("feeder__code", "dt__code", "period", "kwh", "meter_serial"))
    assert rows == [
        ("FA", None, "2025-07", D("125000.50"), "FM-0001"),
        (None, "A1", "2025-07", D("4100.00"), ""),
        ("FA", None, "2025-08", D("120000.00"), ""),
    ]
    assert set(InputEnergy.objects.values_list("source", flat=True)) == {"july.csv"}


def test_meter_column_is_optional(network):
    assert energy_import(text="level,code,period,kwh\nfeeder,FB,2025-07,10\n").imported == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("feeder,NOPE,2025-07,100,", "unknown feeder NOPE"),
        ("dt,NOPE,2025-07,100,", "unknown DT NOPE"),
        ("feeder,FA,2025-07,100,NO-METER", "unknown meter NO-METER"),
        ("feeder,FA,2025-07,-5,", "kwh is negative: -5"),
        ("feeder,FA,2025-07,lots,", "kwh is not a number: 'lots'"),
        ("feeder,FA,2025-07,1.005,", "kwh must have at most 2 decimals and 12 digits: 1.005"),
        ("feeder,FA,2025-13,100,", "period must be a month YYYY-MM, not '2025-13'"),
        ("feeder,FA,2025-Q1,100,", "period must be a month YYYY-MM, not '2025-Q1'"),
        ("substation,FA,2025-07,100,", "level must be feeder or dt, not 'substation'"),
        ("feeder,,2025-07,100,", "code is empty"),
    ],
)
def test_each_bad_line_is_named_and_the_whole_file_refused(network, line, reason):
    # The good line before it is not written either.
    assert problems(HEADER + "feeder,FB,2025-07,100,\n" + line + "\n") == [(3, reason)]


def test_a_month_twice_in_the_file(network):
    assert problems(HEADER + "feeder,FA,2025-07,100,\ndt,A1,2025-07,5,\nfeeder,FA,2025-07,200,\n") == [
        (4, "duplicate period 2025-07 for FA (see line 2)")
    ]


def test_a_month_already_imported(network):
    energy_import(text=HEADER + "feeder,FA,2025-07,100,\n")
    with pytest.raises(EnergyImportError) as caught:
        energy_import(text=HEADER + "feeder,FA,2025-08,100,\nfeeder,FA,2025-07,100,\n")
    assert [(p.line, p.reason) for p in caught.value.problems] == [
        (3, "duplicate period 2025-07 for FA (already imported)")
    ]
    assert InputEnergy.objects.count() == 1  # August was not written


def test_every_problem_of_a_file_is_listed_in_line_order(network):
    text = HEADER + "feeder,NOPE,2025-07,1,\nfeeder,FA,2025-07,-1,\nfeeder,FA,2025-07,1,X\n"
    assert problems(text) == [(2, "unknown feeder NOPE"), (3, "kwh is negative: -1"), (4, "unknown meter X")]


def test_missing_columns(network):
    assert problems("level,code,kwh\nfeeder,FA,1\n") == [
        (1, "missing column(s): period (expected level,code,period,kwh,meter)")
    ]


def test_a_gap_in_the_series_is_imported_and_flagged(network):
    energy_import(text=HEADER + "feeder,FA,2025-04,100,\n")
    result = energy_import(
        text=HEADER + "feeder,FA,2025-07,100,\nfeeder,FA,2025-05,100,\ndt,A1,2025-01,1,\ndt,A1,2025-02,1,\n"
        "dt,A1,2025-03,1,\ndt,A2,2025-01,1,\ndt,A2,2025-12,1,\n"
    )
    assert result.imported == 7
    assert [(p.line, p.reason) for p in result.flagged] == [
        (2, "gap in the series: no input for 2025-06"),
        (8, "gap in the series: no input for 2025-02 to 2025-11"),
    ]
    flagged = InputEnergy.objects.exclude(flag_reason="").values_list("period", "flag_reason")
    assert sorted(flagged) == [
        ("2025-07", "gap in the series: no input for 2025-06"),
        ("2025-12", "gap in the series: no input for 2025-02 to 2025-11"),
    ]


def test_command_imports_and_reports(network, tmp_path, capsys):
    path = tmp_path / "energy.csv"
    path.write_text(HEADER + "feeder,FA,2025-07,100,\nfeeder,FA,2025-09,100,\n", encoding="utf-8")
    call_command("energy", "import", str(path))
    out = capsys.readouterr().out
    assert "2 input energy rows imported (1 flagged)" in out
    assert "flagged line 3: gap in the series: no input for 2025-08" in out


def test_command_rejects_a_bad_file_with_reasons(network, tmp_path, capsys):
    path = tmp_path / "energy.csv"
    path.write_text(HEADER + "feeder,FA,2025-07,100,\nfeeder,NOPE,2025-07,-3,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="2 problem"):
        call_command("energy", "import", str(path))
    err = capsys.readouterr().err
    assert "line 3: unknown feeder NOPE" in err and "line 3: kwh is negative: -3" in err
    assert not InputEnergy.objects.exists()


def test_command_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("energy", "import", str(tmp_path / "absent.csv"))


def test_a_month_stored_by_a_concurrent_import_refuses_the_file(network, monkeypatch):
    """The check before writing can race another import; the unique constraint still refuses the file."""
    from urja.energyaudit import services

    real = services.InputEnergy.objects.bulk_create

    def racing(objects, **kwargs):
        real([InputEnergy(feeder=network["fa"], period="2025-07", kwh=D("1"))])
        return real(objects, **kwargs)

    monkeypatch.setattr(services.InputEnergy.objects, "bulk_create", racing)
    with pytest.raises(EnergyImportError, match="imported meanwhile"):
        energy_import(text=HEADER + "feeder,FB,2025-07,5,\nfeeder,FA,2025-07,100,\n")
    # FB's good line was not written (the racing row, simulated inside this transaction, went with it).
    assert not InputEnergy.objects.filter(feeder=network["fb"]).exists()
