"""Definitions as data (urja/domain/workflow.py): what validate() finds."""

import dataclasses
from typing import Any

import pytest

from urja.domain.sla import Sla
from urja.domain.workflow import (
    Action,
    Definition,
    DefinitionError,
    State,
    check,
    load,
    states_from,
    validate,
)

STATES = [
    State("applied", "Applied", "आवेदन", sla=Sla(3, "working_days"), on_breach="escalate"),
    State(
        "verified",
        "Verified",
        "सत्यापित",
        sla=Sla(2, "days"),
        on_breach="deem_approved",
        deemed_action="approve",
    ),  # fmt: skip
    State("approved", "Approved", "स्वीकृत", end=True),
    State("rejected", "Rejected", "अस्वीकृत", end=True),
]
ACTIONS = [
    Action("verify", "Verify", "सत्यापित करें", ("applied",), "verified", frozenset({"je"})),
    Action(
        "approve", "Approve", "स्वीकृत करें", ("verified",), "approved", frozenset({"sdo"}), irreversible=True
    ),
    Action(
        "reject",
        "Reject",
        "अस्वीकार करें",
        ("applied", "verified"),
        "rejected",
        frozenset({"je", "sdo"}),
        needs_reason=True,
        irreversible=True,
    ),  # fmt: skip
]


def make(**changes: Any) -> Definition:
    base = load(code="test", version=1, title="Test", title_hi="परीक्षण", start="applied", states=STATES,
                actions=ACTIONS)  # fmt: skip
    return dataclasses.replace(base, **changes)


def test_a_sound_definition_has_no_problems():
    defn = make()
    assert validate(defn) == []
    assert check(defn) is defn
    assert [a.code for a in defn.actions_from("verified")] == ["approve", "reject"]
    assert defn.reference_prefix == "TEST"


def test_unknown_states_are_found():
    defn = make(start="nowhere")
    assert "the start state 'nowhere' is not a state" in validate(defn)
    bad = make(actions=(*ACTIONS, Action("jump", "Jump", "", ("limbo",), "heaven", frozenset({"je"}))))
    problems = validate(bad)
    assert "action 'jump' leaves the unknown state 'limbo'" in problems
    assert "action 'jump' goes to the unknown state 'heaven'" in problems


def test_an_unreachable_state_is_found():
    states = states_from([*STATES, State("orphan", "Orphan", "", end=True)])
    assert "state 'orphan' cannot be reached from the start state" in validate(make(states=states))


def test_a_dead_end_and_an_action_out_of_an_end_state_are_found():
    states = states_from([*STATES[:2], State("approved", "Approved", ""), STATES[3]])
    assert "state 'approved' is not an end state and no action leaves it" in validate(make(states=states))
    out_of_end = (*ACTIONS, Action("reopen", "Reopen", "", ("rejected",), "applied", frozenset({"je"})))
    assert "action 'reopen' leaves the end state 'rejected'" in validate(make(actions=out_of_end))


def test_deemed_actions_must_exist_and_leave_their_state():
    states = dict(make().states)
    states["verified"] = dataclasses.replace(states["verified"], deemed_action="vanish")
    assert "state 'verified' deems the unknown action 'vanish'" in validate(make(states=states))
    states["verified"] = dataclasses.replace(states["verified"], deemed_action="verify")
    assert "state 'verified' deems the action 'verify', which does not leave it" in validate(
        make(states=states)
    )
    states["verified"] = dataclasses.replace(states["verified"], deemed_action=None)
    assert "state 'verified' deems an outcome but names no deemed action" in validate(make(states=states))


def test_breach_rules_need_an_sla_and_actions_need_roles():
    states = dict(make().states)
    states["applied"] = dataclasses.replace(states["applied"], sla=None)
    assert "state 'applied' has a breach rule but no SLA" in validate(make(states=states))
    nobody = (*ACTIONS, Action("poke", "Poke", "", ("applied",), "applied"))
    assert "action 'poke' has no roles and is not system-only" in validate(make(actions=nobody))
    twice = (*ACTIONS, ACTIONS[0])
    assert "action 'verify' is defined twice" in validate(make(actions=twice))


def test_check_raises_with_every_problem():
    with pytest.raises(DefinitionError) as caught:
        check(make(start="nowhere", version=0))
    assert len(caught.value.problems) >= 2
    assert "nowhere" in str(caught.value)
