"""Limit/offset pagination with a bounded limit and offset: a page larger than MAX_LIMIT rows, or an
offset beyond what the database can hold, is a 422 `invalid_input`, not a crash in the query (a 500)
or a query that reads a whole table. Both bounds are in the OpenAPI schema."""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500  # rows per page; page on with `offset` for more
MAX_OFFSET = 2**31 - 1  # far beyond any list the API returns; below every database's integer limit


class LimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(min(settings.PAGINATION_PER_PAGE, MAX_LIMIT), ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs) -> None:
        super().__init__(max_limit=min(max_limit, MAX_LIMIT), **kwargs)
