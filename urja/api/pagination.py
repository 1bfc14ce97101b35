"""Limit/offset pagination with a bounded offset: an offset beyond what the database can hold is a 422
`invalid_input`, not a crash in the query (a 500)."""

from math import inf

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1  # far beyond any list the API returns; below every database's integer limit


class LimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.PAGINATION_PER_PAGE,
            ge=1,
            le=None if inf == settings.PAGINATION_MAX_LIMIT else settings.PAGINATION_MAX_LIMIT,
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
