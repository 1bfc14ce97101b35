"""A process as data: its states, the actions between them, who may take each, and the SLAs.

A `Definition` is plain data, checked by `validate` (a list of problems) or `check` (raises
`DefinitionError`). The engine that runs definitions against the database is `urja.workflow`; this
module knows nothing of Django, so a definition can be tested and drawn without one.

Rules a valid definition keeps:

* the start state and every state named by an action exists; the start state is not an end state;
* every state is reachable from the start state;
* every state that is not an end state has at least one action leaving it (no dead ends), and an end
  state has none (a closed item stays closed: re-opening is a new action into a non-end state only
  from a non-end state, so it is modelled as a state before the end);
* action codes are unique; an action's roles are non-empty unless it is `system_only`;
* a breach rule needs the state's SLA; ``deem_approved``/``deem_rejected`` need a `deemed_action`
  that leaves that very state; a `deemed_action` names an action that exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from urja.domain.sla import Sla

BreachRule = Literal["escalate", "deem_approved", "deem_rejected", "notify"]
BREACH_RULES: tuple[str, ...] = ("escalate", "deem_approved", "deem_rejected", "notify")


class DefinitionError(ValueError):
    """A definition that breaks the rules above; `problems` lists every one found."""

    def __init__(self, code: str, problems: list[str]) -> None:
        self.code = code
        self.problems = problems
        super().__init__(f"Workflow definition {code!r} is not valid: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class State:
    code: str
    title: str
    title_hi: str = ""
    end: bool = False
    sla: Sla | None = None
    on_breach: BreachRule | None = None
    deemed_action: str | None = None
    #: Document kinds that must be on file (attached to the item) before an action with
    #: `needs_documents` leaves this state.
    documents_required: tuple[str, ...] = ()
    #: The item waits on the applicant here (sent back, awaiting their payment): the whole process's
    #: clock stops, and its due time moves on by the time spent in the state when the item leaves it.
    pauses_total: bool = False


@dataclass(frozen=True, slots=True)
class Action:
    code: str
    title: str
    title_hi: str = ""
    from_states: tuple[str, ...] = ()
    to_state: str = ""
    roles: frozenset[str] = frozenset()
    needs_reason: bool = False
    #: Cannot be undone (rejection, energisation, disconnection): the console asks for confirmation
    #: and says what will happen.
    irreversible: bool = False
    #: Taken only by the system (a sweep, a completed work order, a payment), never by a person.
    system_only: bool = False
    #: Refused while the from-state's `documents_required` are not all on file.
    needs_documents: bool = False
    #: What will happen, shown on the confirmation page of an irreversible action.
    consequence: str = ""
    consequence_hi: str = ""


@dataclass(frozen=True, slots=True)
class Rung:
    """One level of the escalation ladder: the role a breached item goes up to, and the time that
    level has before the item goes one level higher."""

    role: str
    sla: Sla


@dataclass(frozen=True, slots=True)
class Definition:
    code: str
    version: int
    title: str
    title_hi: str
    start: str
    states: Mapping[str, State]
    actions: tuple[Action, ...]
    total_sla: Sla | None = None
    #: Prefix of the items' reference numbers ("NC" → NC-2026-000123); default: the code, upper case.
    prefix: str = ""
    #: The escalation ladder above the officer who first holds an item (JE → SDO → EE → SE: the rungs
    #: are SDO, EE and SE). Empty: the engine's configured default ladder.
    ladder: tuple[Rung, ...] = ()
    #: Free text: what the process is, for the console and the developers' docs.
    description: str = field(default="", compare=False)

    @property
    def reference_prefix(self) -> str:
        return (self.prefix or self.code).upper()

    def state(self, code: str) -> State:
        return self.states[code]

    def action(self, code: str) -> Action | None:
        for action in self.actions:
            if action.code == code:
                return action
        return None

    def actions_from(self, state: str) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if state in action.from_states)


def states_from(states: Iterable[State]) -> dict[str, State]:
    """A definition's state mapping from a list of states (keyed by code, in the given order)."""
    return {state.code: state for state in states}


def validate(defn: Definition) -> list[str]:
    """Every problem with `defn`, in a stable order; an empty list is a valid definition."""
    problems: list[str] = []
    if not defn.code:
        problems.append("the definition has no code")
    if defn.version < 1:
        problems.append("the version must be 1 or more")
    for key, state in defn.states.items():
        if key != state.code:
            problems.append(f"state {state.code!r} is filed under the key {key!r}")
    if defn.start not in defn.states:
        problems.append(f"the start state {defn.start!r} is not a state")
    elif defn.states[defn.start].end:
        problems.append(f"the start state {defn.start!r} is an end state")

    seen: set[str] = set()
    for action in defn.actions:
        if action.code in seen:
            problems.append(f"action {action.code!r} is defined twice")
        seen.add(action.code)
        if not action.from_states:
            problems.append(f"action {action.code!r} leaves no state")
        for from_code in action.from_states:
            if from_code not in defn.states:
                problems.append(f"action {action.code!r} leaves the unknown state {from_code!r}")
            elif defn.states[from_code].end:
                problems.append(f"action {action.code!r} leaves the end state {from_code!r}")
        if action.to_state not in defn.states:
            problems.append(f"action {action.code!r} goes to the unknown state {action.to_state!r}")
        if not action.roles and not action.system_only:
            problems.append(f"action {action.code!r} has no roles and is not system-only")

    for state in defn.states.values():
        outgoing = defn.actions_from(state.code)
        if not state.end and not outgoing:
            problems.append(f"state {state.code!r} is not an end state and no action leaves it")
        if state.on_breach is not None:
            if state.on_breach not in BREACH_RULES:
                problems.append(f"state {state.code!r} has the unknown breach rule {state.on_breach!r}")
            if state.sla is None:
                problems.append(f"state {state.code!r} has a breach rule but no SLA")
        if state.end and (state.sla is not None or state.on_breach is not None):
            problems.append(f"end state {state.code!r} has an SLA or a breach rule")
        if state.deemed_action is not None:
            deemed = defn.action(state.deemed_action)
            if deemed is None:
                problems.append(f"state {state.code!r} deems the unknown action {state.deemed_action!r}")
            elif state.code not in deemed.from_states:
                problems.append(
                    f"state {state.code!r} deems the action {state.deemed_action!r}, which does not leave it"
                )
        if state.on_breach in ("deem_approved", "deem_rejected") and state.deemed_action is None:
            problems.append(f"state {state.code!r} deems an outcome but names no deemed action")

    if defn.start in defn.states:
        reached = {defn.start}
        frontier = [defn.start]
        while frontier:
            current = frontier.pop()
            for action in defn.actions_from(current):
                if action.to_state in defn.states and action.to_state not in reached:
                    reached.add(action.to_state)
                    frontier.append(action.to_state)
        for code in defn.states:
            if code not in reached:
                problems.append(f"state {code!r} cannot be reached from the start state")
    return problems


def check(defn: Definition) -> Definition:
    """`defn` itself when it is valid; `DefinitionError` listing every problem otherwise."""
    problems = validate(defn)
    if problems:
        raise DefinitionError(defn.code, problems)
    return defn


def load(
    *,
    code: str,
    version: int,
    title: str,
    title_hi: str,
    start: str,
    states: Iterable[State],
    actions: Iterable[Action],
    total_sla: Sla | None = None,
    prefix: str = "",
    ladder: Iterable[Rung] = (),
    description: str = "",
) -> Definition:
    """Build a definition from lists of states and actions and check it (`DefinitionError`)."""
    return check(
        Definition(
            code=code,
            version=version,
            title=title,
            title_hi=title_hi,
            start=start,
            states=states_from(states),
            actions=tuple(actions),
            total_sla=total_sla,
            prefix=prefix,
            ladder=tuple(ladder),
            description=description,
        )
    )
