import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from urja.common.export import csv_bytes, neutralise, table_response, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_would_start_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_stay_numbers_even_negative():
    assert neutralise(Decimal("-12.50")) == Decimal("-12.50")
    assert neutralise(-3) == -3
    assert neutralise("राम") == "राम"


def test_csv_neutralises_cells_and_keeps_hindi():
    data = csv_bytes(["नाम", "amount"], [["=1+1", Decimal("-5.00")], ["राम", Decimal("10.00")]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["नाम", "amount"], ["'=1+1", "-5.00"], ["राम", "10.00"]]


def test_xlsx_cells_are_text_or_exact_numbers_never_formulas():
    data = xlsx_bytes(["name", "amount"], [["=cmd|' /C calc'!A0", Decimal("1234.50")]])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "'=cmd|' /C calc'!A0"
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == "0.00"


def test_table_response_names_the_file_safely():
    response = table_response("csv", 'bad"/name', ["a"], [[1]])
    assert response["Content-Disposition"] == 'attachment; filename="bad--name.csv"'
    with pytest.raises(ValueError):
        table_response("html", "x", ["a"], [])
