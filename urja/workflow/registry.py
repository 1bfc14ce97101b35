"""The process definitions the engine runs, registered by the apps that own them.

An upper app (connections, helpdesk …) calls `register` from its `AppConfig.ready()`::

    from urja.workflow.registry import register
    register(NEW_CONNECTION, on_enter=..., on_order_done=...)

The definition is checked on registration (`urja.domain.workflow.DefinitionError` at start-up, not
at the first application). Every version registered stays known, so an item opened under version 1
keeps running by version 1 after version 2 is registered; new items start on the newest version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from urja.common.errors import NotFound
from urja.domain.workflow import Definition, check

if TYPE_CHECKING:
    from .models import WorkEvent, WorkItem, WorkOrder

OnEnter = Callable[["WorkItem", "WorkEvent"], None]
OnOrderDone = Callable[["WorkOrder"], "str | None"]
OnBreach = Callable[["WorkItem", Any], None]


@dataclass(frozen=True)
class Registered:
    definition: Definition
    #: Called inside the transaction after every start and transition (the event says which).
    on_enter: OnEnter | None = None
    #: Called inside the transaction when one of the item's work orders is completed; may return the
    #: code of an action the system then takes on the item.
    on_order_done: OnOrderDone | None = None
    #: Called inside the transaction for every breach the sweep records (a `services.Breach`).
    on_breach: OnBreach | None = None


_registry: dict[tuple[str, int], Registered] = {}


def register(
    definition: Definition,
    *,
    on_enter: OnEnter | None = None,
    on_order_done: OnOrderDone | None = None,
    on_breach: OnBreach | None = None,
) -> Definition:
    """Check `definition` and make it (code, version) runnable. Registering the same code and version
    again replaces the callbacks only when the definition is equal (a re-run `ready()`); a different
    definition under a registered code and version is refused: bump the version."""
    check(definition)
    key = (definition.code, definition.version)
    existing = _registry.get(key)
    if existing is not None and existing.definition != definition:
        raise ValueError(
            f"Workflow {definition.code!r} version {definition.version} is already registered with "
            "different states or actions: give the changed definition a new version"
        )
    _registry[key] = Registered(definition, on_enter, on_order_done, on_breach)
    return definition


#: Hooks for work orders created outside a process item (a theft inspection of a helpdesk ticket, a
#: disconnection order of a served notice), by kind: called inside the completion's transaction.
_order_kind_hooks: dict[str, list[Callable[[WorkOrder], None]]] = {}


def on_order_kind_done(kind: str, hook: Callable[[WorkOrder], None]) -> None:
    """Call `hook(order)` when a work order of `kind` that belongs to no process item is completed.
    Registering the same hook again (a re-run `ready()`) adds it once."""
    hooks = _order_kind_hooks.setdefault(kind, [])
    if hook not in hooks:
        hooks.append(hook)


def order_kind_hooks(kind: str) -> tuple[Callable[[WorkOrder], None], ...]:
    return tuple(_order_kind_hooks.get(kind, ()))


def forget_order_kind_hook(kind: str, hook: Callable[[WorkOrder], None]) -> None:
    """Drop a hook (tests that register their own)."""
    if hook in _order_kind_hooks.get(kind, []):
        _order_kind_hooks[kind].remove(hook)


def unregister(code: str) -> None:
    """Forget every version of `code` (tests that register a definition of their own)."""
    for key in [key for key in _registry if key[0] == code]:
        del _registry[key]


def registered(code: str, version: int | None = None) -> Registered:
    """The registration of `code` at `version` (default: the newest); `NotFound` when unknown."""
    if version is not None:
        try:
            return _registry[(code, version)]
        except KeyError:
            raise NotFound(f"No workflow {code!r} version {version}") from None
    versions = [key[1] for key in _registry if key[0] == code]
    if not versions:
        raise NotFound(f"No workflow {code!r}")
    return _registry[(code, max(versions))]


def definition(code: str, version: int | None = None) -> Definition:
    """The definition of `code` (default: its newest version)."""
    return registered(code, version).definition


def definitions() -> list[Definition]:
    """Every registered definition, every version, by code then version."""
    return [_registry[key].definition for key in sorted(_registry)]
