"""Render a template exactly, or refuse. DLT operators drop a message that does not match its registered
template, so a message that would not match is never queued (DOMAIN.md, "SMS details")."""

from __future__ import annotations

import re

MAX_VARIABLE_LENGTH = 30
VARIABLE = re.compile(r"\{#([a-z_][a-z0-9_]*)#\}")


class RenderRefused(ValueError):
    """The variables do not fit the template: missing, extra, too long, or not plain text."""


def variable_names(body: str) -> list[str]:
    return VARIABLE.findall(body)


def render(body: str, variables: dict[str, object]) -> str:
    wanted = set(variable_names(body))
    given = set(variables)
    if wanted - given:
        raise RenderRefused(f"missing variables: {', '.join(sorted(wanted - given))}")
    if given - wanted:
        raise RenderRefused(f"variables not in the template: {', '.join(sorted(given - wanted))}")
    values: dict[str, str] = {}
    for name, raw in variables.items():
        value = "" if raw is None else str(raw)
        if not value.strip():
            raise RenderRefused(f"variable {name} is empty")
        if len(value) > MAX_VARIABLE_LENGTH:
            raise RenderRefused(f"variable {name} is longer than {MAX_VARIABLE_LENGTH} characters")
        if any(ch in value for ch in "\r\n\t") or "{#" in value or "#}" in value:
            raise RenderRefused(f"variable {name} holds a control sequence")
        values[name] = value
    return VARIABLE.sub(lambda match: values[match.group(1)], body)


def dlt_form(body: str) -> str:
    """The text as registered on DLT: every named variable becomes `{#var#}`."""
    return VARIABLE.sub("{#var#}", body)
