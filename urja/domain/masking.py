"""Masking personal names and e-mail addresses for pages, partners and records that must not show them
in full (BBPS bill fetch, the public online payment page, the consumer history): enough for the payer to
recognise the account, not to read it."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first letter of each word and star the rest: "Ravi Kumar" -> "R*** K****"."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in str(name or "").split())


def mask_email(address: str) -> str:
    """Keep the first letter and the domain: "ravi.kumar@example.com" -> "r***@example.com"."""
    text = str(address or "").strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text[0] + "***"
    return (local[:1] or "*") + "***@" + domain
