"""The HTTP API at /api/v1/ (OpenAPI at /api/v1/openapi.json). Each app contributes its router."""

from ninja import NinjaAPI

from urja.api import errors
from urja.api.tokens import router as org_router
from urja.billing.api import router as billing_router
from urja.customers.api import router as customers_router
from urja.energyaudit.api import router as energy_router
from urja.helpdesk.api import router as helpdesk_router
from urja.metering.api import router as metering_router
from urja.network.api import router as network_router
from urja.payments.api import router as payments_router
from urja.tariffs.api import router as tariffs_router
from urja.workflow.api import router as workflow_router

api = NinjaAPI(
    title="Urja API",
    version="1",
    description=(
        "Customer information and billing API. Staff authenticate with a bearer token from "
        "POST /auth/token; integration partners send X-API-Key. Every error is JSON with `code` and `message`. "
        "Lists are paged with `limit` (at most 500) and `offset`; a request body is at most 2.5 MB (413 "
        "`request_too_large`), and no value may hold a NUL character (422 `invalid_input`)."
    ),
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", org_router)
api.add_router("/", customers_router)
api.add_router("/", network_router)
api.add_router("/", metering_router)
api.add_router("/", payments_router)
api.add_router("/", tariffs_router)
api.add_router("/", billing_router)
api.add_router("/", workflow_router)
api.add_router("/", helpdesk_router)
api.add_router("/", energy_router)
