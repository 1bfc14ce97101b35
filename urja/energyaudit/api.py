"""Input energy over the API: POST /api/v1/energy/input with a batch of feeder and DT months.

Only staff tokens (POST /auth/token) of a user with the MANAGE_METERS capability may import; a partner
key is refused (401: this router takes no X-API-Key), and a feeder or DT outside the user's office
subtree is reported as unknown. Same validation as `urja energy import FILE.csv` (one service,
`services.energy_rows_import`); all or nothing."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from urja.api.auth import StaffTokenAuth

from . import services

router = Router(tags=["energy audit"], auth=StaffTokenAuth())


class InputRowIn(Schema):
    level: str = Field(max_length=10, description="feeder or dt")
    code: str = Field(max_length=40, description="the feeder's or DT's code")
    period: str = Field(max_length=10, description="the month, YYYY-MM")
    kwh: Decimal | str = Field(description="energy in for the month, kWh (at most 2 decimals, not negative)")
    meter: str = Field(
        default="", max_length=30, description="boundary meter serial (must be known if given)"
    )


class InputBatchIn(Schema):
    rows: list[InputRowIn] = Field(max_length=20000)
    source: str = Field(default="", max_length=120, description="e.g. the meter-data file's name")


class RowProblem(Schema):
    row: int
    reason: str


class InputBatchOut(Schema):
    imported: int
    flagged: list[RowProblem]


class InputRejectedOut(Schema):
    code: str
    message: str
    errors: list[RowProblem]


def _problems(problems) -> list[dict]:
    return [{"row": p.line, "reason": p.reason} for p in problems]


@router.post(
    "/energy/input",
    response={201: InputBatchOut, 422: InputRejectedOut},
    summary="Import feeder and DT input energy (all or nothing)",
)
def energy_input(request, payload: InputBatchIn):
    """Rows are numbered from 1 in the order sent. A rejected batch answers 422 `energy_rejected` with
    every problem by row number, and nothing is written; an accepted one answers 201 with the rows that
    were imported but flagged (a gap in the series)."""
    rows = [{**row.dict(), "kwh": str(row.kwh)} for row in payload.rows]
    try:
        result = services.energy_rows_import(rows=rows, source=payload.source or "api", by=request.principal)
    except services.EnergyImportError as exc:
        return Status(
            422,
            {
                "code": "energy_rejected",
                "message": f"{len(exc.problems)} problem(s); nothing was imported",
                "errors": _problems(exc.problems),
            },
        )
    return Status(201, {"imported": result.imported, "flagged": _problems(result.flagged)})
