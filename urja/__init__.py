"""Urja (ऊर्जा): customer information and billing system for electricity distribution companies."""

__version__ = "0.1.0"
