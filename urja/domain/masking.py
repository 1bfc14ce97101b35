"""Masking personal names for pages and partners that must not see them in full (BBPS bill fetch,
the public online payment page): enough for the payer to recognise the account, not to read it."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first letter of each word and star the rest: "Ravi Kumar" -> "R*** K****"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in str(name or "").split())
