"""Payments API: the BBPS-style biller API for partners, gateway webhooks and staff endpoints."""

from ninja import Router

router = Router(tags=["payments"])
