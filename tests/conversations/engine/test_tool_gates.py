"""Each tool checks its own gate in Python, whoever calls it (the state machine or the model)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from django.utils import timezone
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from conversations import llm
from conversations.engine import tools
from conversations.engine.fsm import LookupGate
from conversations.engine.grounding import UserWords
from conversations.engine.tools import TurnDeps
from conversations.lifecycle import conversation_start
from conversations.models import ConversationState
from tests.factories import StoreFactory


@pytest.fixture
def deps(user) -> TurnDeps:
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    conversation = conversation_start(user=user)
    # What the user typed this turn: the only source of a saved name or number.
    words = UserWords(texts=("Save ACME Hardware, 415-555-0198",), region=user.default_region)
    return TurnDeps(user=user, conversation=conversation, lookup_gate=LookupGate.NEEDS_PASSPHRASE, words=words)


@pytest.mark.parametrize("gate", [LookupGate.NEEDS_PASSPHRASE, LookupGate.NO_PASSPHRASE, LookupGate.LOCKED])
def test_lookups_are_refused_unless_the_gate_is_open(deps, gate):
    deps.lookup_gate = gate
    by_name = tools.lookup_by_name(deps, query="costco")
    by_phone = tools.lookup_by_phone(deps, phone="650-555-0101")
    assert by_name.result == {"status": "refused", "reason": "passphrase_required"}
    assert by_phone.result["status"] == "refused"
    assert not by_name.ok
    assert "555" not in str(by_name.result) + str(by_phone.result)


def test_an_open_gate_finds_the_users_store_formatted_for_reading(deps):
    deps.lookup_gate = LookupGate.OPEN
    record = tools.lookup_by_name(deps, query="costco")
    assert record.result["matches"] == [
        {"name": "Costco Wholesale", "phone": "(650) 555-0101", "phone_e164": "+16505550101"}
    ]


def test_a_lock_set_meanwhile_closes_an_open_gate(deps, user):
    deps.lookup_gate = LookupGate.OPEN
    user.lookup_locked_until = timezone.now() + timedelta(minutes=5)
    record = tools.lookup_by_name(deps, query="costco")
    assert record.result == {"status": "refused", "reason": "lookups_locked"}


def test_lookups_never_reach_another_users_stores(deps, other_user):
    StoreFactory(user=other_user, store_name="Bob's Secret Garage", phone_e164="+14155550166")
    deps.lookup_gate = LookupGate.OPEN
    assert tools.lookup_by_name(deps, query="Bob's Secret Garage").result["status"] == "not_found"
    assert tools.lookup_by_phone(deps, phone="415-555-0166").result["status"] == "not_found"
    assert tools.lookup_by_phone(deps, phone="0166").result["status"] == "not_found"


def test_a_phone_lookup_needs_four_digits(deps):
    deps.lookup_gate = LookupGate.OPEN
    record = tools.lookup_by_phone(deps, phone="01")
    assert record.result["status"] == "invalid"
    assert "4 digits" in record.result["error"]


def test_saving_is_refused_in_an_ended_conversation(deps, user):
    deps.conversation.state = ConversationState.TERMINATED
    record = tools.save_store(deps, store_name="ACME Hardware", phone="415-555-0198")
    assert record.result["status"] == "refused"
    assert user.stores.count() == 1


def test_the_conversation_ends_only_when_the_state_machine_decided_so(deps):
    refused = tools.terminate_conversation(deps, reason="the model felt like it")
    assert refused.result == {"status": "refused", "reason": "not_requested_by_user"}
    assert deps.ended_reason is None
    deps.may_end = True
    assert tools.terminate_conversation(deps, reason="user").ok


def test_every_call_is_recorded_with_its_arguments(deps):
    tools.save_store(deps, store_name="ACME Hardware", phone="415-555-0198")
    tools.lookup_by_name(deps, query="acme")
    assert [(record.name, record.args, record.ok) for record in deps.records] == [
        ("save_store", {"store_name": "ACME Hardware", "phone": "415-555-0198"}, True),
        ("lookup_by_name", {"query": "acme"}, False),
    ]


def test_a_model_cannot_look_up_before_the_passphrase_even_if_it_tries(chat, user, monkeypatch):
    """A hosted model may call tools on its own: lookups are not even offered before the passphrase,
    and a call it makes anyway never reaches the data."""
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    real_build_model = llm.build_model
    offered: list[list[str]] = []

    async def rogue_agent(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | DeltaToolCalls]:
        offered.append([tool.name for tool in info.function_tools])
        if len(offered) == 1:
            yield {0: DeltaToolCall(name="lookup_by_name", json_args='{"query": "costco"}', tool_call_id="rogue")}
        else:
            yield "Done."

    def build_model(role, *, config=None):
        if role == "agent":
            return FunctionModel(stream_function=rogue_agent, model_name="rogue")
        return real_build_model(role, config=config)

    monkeypatch.setattr(llm, "build_model", build_model)
    turn = chat.say("save Costco")
    assert "lookup_by_name" not in offered[0]
    assert "save_store" in offered[0]
    assert "555-0101" not in turn.text
    assert [call["name"] for call in turn.reply.tool_calls] == []
