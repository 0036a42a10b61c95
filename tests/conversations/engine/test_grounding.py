"""A store is saved only with a name and a number the user typed, whatever a model invents.

Models are replaced by FunctionModels that invent names and numbers (the
offline path: everything else is the real engine and the offline agent) and by
the fake Anthropic server (the hosted path). Whoever invents the value, the
classifier in its extraction or the agent in its own save_store call, nothing
is saved with it and the reply asks for the real one.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel

from conversations import llm
from conversations.engine import tools
from conversations.engine.fsm import LookupGate
from conversations.engine.grounding import UserWords
from conversations.engine.pending import PendingAction, PendingStore
from conversations.engine.tools import TurnDeps
from conversations.lifecycle import conversation_start
from conversations.models import ConversationState
from tests.factories import StoreFactory

INVENTED_NAME = "state&#34;:+return_response"
INVENTED_PHONE = "+1 415-555-0100"


def _save(*stores: dict[str, str]) -> dict[str, Any]:
    return {"intent": "save", "stores": list(stores)}


@pytest.fixture
def classifier(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Replace the classifier with a FunctionModel answering these classifications, one a turn."""

    def install(*outputs: dict[str, Any]) -> None:
        answers = list(outputs)
        real_build_model = llm.build_model

        def classify(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, answers.pop(0))])

        def build_model(role: llm.Role, *, config: Any = None) -> Any:
            if role == "classifier":
                return FunctionModel(classify, model_name="inventive-classifier")
            return real_build_model(role, config=config)

        monkeypatch.setattr(llm, "build_model", build_model)

    return install


@pytest.fixture
def agent_saving(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[dict[str, Any]]]:
    """Replace the agent with one that calls save_store with these arguments, then reports the tool's result."""

    def install(store_name: str, phone: str) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        real_build_model = llm.build_model

        async def agent(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | DeltaToolCalls]:
            returns = [part for message in messages for part in message.parts if isinstance(part, ToolReturnPart)]
            if not results and not any(
                part.tool_name == "save_store" and part.tool_call_id == "own" for part in returns
            ):
                results.append({})
                args = json.dumps({"store_name": store_name, "phone": phone})
                yield {0: DeltaToolCall(name="save_store", json_args=args, tool_call_id="own")}
                return
            [own] = [part for part in returns if part.tool_call_id == "own"]
            content: Any = own.content
            results[0] = content if isinstance(content, dict) else {}
            yield f"Result: {results[0].get('status')}."

        def build_model(role: llm.Role, *, config: Any = None) -> Any:
            if role == "agent":
                return FunctionModel(stream_function=agent, model_name="inventive-agent")
            return real_build_model(role, config=config)

        monkeypatch.setattr(llm, "build_model", build_model)
        return results

    return install


# --- The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "phone", "grounded"),
    [
        ("Save ACME, 415 555 0198", "+14155550198", True),  # parsing adds the region's country code
        ("Save ACME, (415) 555-0198", "415.555.0198", True),  # separators ignored
        ("Save ACME, +1 415 555 0198", "4155550198", True),
        ("Save ACME, 415 555 0198", "+14155550100", False),  # invented
        ("Save ACME, 415 555 0198", "+44 415 555 0198", False),  # a country code nobody typed
        ("Save ACME, 415 555 0198 ext. 12", "415-555-0198 x12", True),
        ("Save ACME, 415 555 0198", "415-555-0198 x12", False),  # an invented extension
        ("Save Flowers, 1-800-FLOWERS", "+1 800 356 9377", True),  # a vanity number is its keypad digits
        ("Save Flowers, 1-800-356-9377", "1-800-FLOWERS", True),
        ("Save ACME 415 555 and Bob 0198", "415-555-0198", False),  # digits from two places are not a number
        ("Save Bob's Deli, 555-0198", "555-0198", True),  # invalid but typed: validation says why
        ("Save Bob's Deli", "call me", False),
    ],
)
def test_a_phone_is_grounded_only_by_digits_the_user_typed(typed, phone, grounded):
    assert UserWords(texts=(typed,), region="US").grounds_phone(phone) is grounded


def test_a_number_typed_at_home_abroad_is_grounded_with_the_users_region():
    assert UserWords(texts=("Add Patel's 020 7946 0311",), region="GB").grounds_phone("+44 20 7946 0311")
    assert not UserWords(texts=("Add Patel's 020 7946 0311",), region="US").grounds_phone("+44 20 7946 0311")


@pytest.mark.parametrize(
    ("name", "grounded"),
    [
        ("Joe's Pizza", True),
        ("JOE'S PIZZA", True),  # folded: case, accents and punctuation
        ("Joes Pizza", True),
        ("Joe", True),  # a possessive may be cut off
        ("Pizza", True),
        ("Joe's Pizzeria", False),  # a word changed
        ("Pizza Joe's", False),  # words reordered
        ("Joe's Pizza Downtown", False),  # a word added
        ("Pizz", False),  # part of a word
        ("Joe&#39;s Pizza", False),  # an escaped echo is not what the user typed
        (INVENTED_NAME, False),
    ],
)
def test_a_name_is_grounded_only_as_a_run_of_the_users_words(name, grounded):
    assert UserWords(texts=("please save Joe's Pizza at 212-555-0147",), region="US").grounds_name(name) is grounded


def test_the_save_being_collected_grounds_what_earlier_messages_typed():
    pending = PendingAction(saves=(PendingStore(name="Joe's Pizza"),))
    words = UserWords.of("it's 212 555 0147", pending=pending, region="US")
    assert words.missing(name="Joe's Pizza", phone="(212) 555-0147") == []
    assert words.missing(name="Joe's Pizzeria", phone="(212) 555-0148") == ["name", "phone"]


# --- The offline path: FunctionModels invent, the real engine decides -------------------------


def test_an_invented_name_and_number_are_never_saved(chat, user, classifier):
    classifier(_save({"name": INVENTED_NAME, "phone": INVENTED_PHONE}))
    turn = chat.say("hi, can you save a store for me?")
    assert user.stores.count() == 0
    assert turn.reply.tool_calls == []
    assert "What's the store's name and phone number?" in turn.text
    assert "return_response" not in turn.text
    assert "0100" not in turn.text
    # Never an off-scope strike: the user did nothing wrong.
    assert chat.conversation.off_scope_count == 0
    assert chat.state == ConversationState.IDLE


def test_a_typed_name_with_an_invented_number_is_kept_and_the_number_asked_for(chat, user, classifier):
    classifier(_save({"name": "Joe's Pizza", "phone": INVENTED_PHONE}))
    turn = chat.say("Save Joe's Pizza")
    assert user.stores.count() == 0
    assert "couldn't find that phone number in your message" in turn.text
    assert "What's the phone number for Joe's Pizza?" in turn.text or "What's Joe's Pizza's phone number?" in turn.text
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    assert chat.conversation.pending_action["saves"] == [
        {"name": "Joe's Pizza", "phone": None, "e164": None, "problem": None}
    ]


def test_a_typed_number_with_an_invented_name_is_kept_and_the_name_asked_for(chat, user, classifier):
    classifier(_save({"name": "Bob's Bait Shop", "phone": "415-555-0198"}))
    turn = chat.say("save 415-555-0198")
    assert user.stores.count() == 0
    assert "couldn't find that store name in your message" in turn.text
    assert "What's the name of the store with the number 415-555-0198?" in turn.text
    assert chat.conversation.pending_action["saves"][0]["e164"] == "+14155550198"


def test_a_save_over_two_messages_uses_only_what_the_user_typed(chat, user, classifier):
    classifier(
        _save({"name": "Joe's Pizza"}),
        # The second reading renames the store on its own: the user's name stays, the number they typed is used.
        _save({"name": "Joe's Pizzeria", "phone": "212 555 0147"}),
    )
    chat.say("Save Joe's Pizza")
    turn = chat.say("the number is 212 555 0147")
    store = user.stores.get()
    assert (store.store_name, store.phone_e164) == ("Joe's Pizza", "+12125550147")
    assert "couldn't find that store name in your message" in turn.text
    assert chat.state == ConversationState.IDLE


def test_an_invented_correction_leaves_the_saved_store_as_it_was(chat, user, classifier):
    classifier(
        _save({"name": "Joe's Pizza", "phone": "212-555-0147"}),
        {"intent": "save", "stores": [{"phone": "212-555-0100"}], "is_correction": True},
    )
    chat.say("Save Joe's Pizza 212-555-0147")
    turn = chat.say("no wait, the number is wrong")
    assert user.stores.get().phone_e164 == "+12125550147"
    assert "What's the phone number for Joe's Pizza?" in turn.text
    assert [call["name"] for call in turn.reply.tool_calls] == []


def test_a_name_with_ampersands_and_quotes_saves_as_the_user_typed_it(chat, user, classifier):
    typed = 'Ben & Jerry\'s "Scoops"'
    classifier(_save({"name": typed, "phone": "415-555-0198"}))
    chat.say(f"Save {typed}, 415-555-0198")
    assert user.stores.get().store_name == typed


def test_an_html_escaped_echo_of_the_users_name_is_not_saved(chat, user, classifier):
    classifier(_save({"name": "Ben &amp; Jerry&#39;s", "phone": "415-555-0198"}))
    chat.say("Save Ben & Jerry's, 415-555-0198")
    assert user.stores.count() == 0


def test_the_agent_saving_invented_values_is_refused_by_the_tool(chat, user, classifier, agent_saving):
    classifier({"intent": "clarification"})
    results = agent_saving(INVENTED_NAME, INVENTED_PHONE)
    turn = chat.say("can you help me with my stores?")
    assert user.stores.count() == 0
    assert results == [{"status": "refused", "reason": "not_in_user_words", "fields": ["name", "phone"]}]
    [call] = turn.reply.tool_calls
    assert (call["name"], call["caller"], call["ok"]) == ("save_store", "model", False)
    assert call["summary"] == "Refused: the user did not type this name and phone"


@pytest.mark.parametrize(
    ("store_name", "phone", "fields"),
    [("ACME Hardware", INVENTED_PHONE, ["phone"]), ("ACME Hardware Outlet", "415-555-0198", ["name"])],
)
def test_the_agent_saving_half_invented_values_is_refused(
    chat, user, classifier, agent_saving, store_name, phone, fields
):
    classifier({"intent": "clarification"})
    results = agent_saving(store_name, phone)
    chat.say("ACME Hardware 415-555-0198")
    assert user.stores.count() == 0
    assert results[0]["fields"] == fields


def test_the_agent_saving_what_the_user_typed_is_allowed(chat, user, classifier, agent_saving):
    classifier({"intent": "clarification"})
    results = agent_saving("ACME Hardware", "(415) 555-0198")
    chat.say("ACME Hardware 415-555-0198")
    assert results[0]["status"] == "saved"
    assert user.stores.get().phone_e164 == "+14155550198"


def test_a_correction_the_user_did_not_type_is_refused_by_the_tool(user):
    StoreFactory(user=user, store_name="Joe's Pizza", phone_e164="+12125550147")
    store = user.stores.get()
    words = UserWords(texts=("no, it's 212-555-0148",), region="US")
    deps = TurnDeps(user=user, conversation=conversation_start(user=user), lookup_gate=LookupGate.OPEN, words=words)
    refused = tools.update_store(deps, store_id=store.pk, store_name=None, phone="212-555-0100")
    assert refused.result == {"status": "refused", "reason": "not_in_user_words", "fields": ["phone"]}
    store.refresh_from_db()
    assert store.phone_e164 == "+12125550147"
    assert tools.update_store(deps, store_id=store.pk, store_name=None, phone="212-555-0148").ok


# --- The hosted path: the fake Anthropic server invents ---------------------------------------


def test_a_hosted_classifier_inventing_a_store_saves_nothing(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call(_save({"name": INVENTED_NAME, "phone": INVENTED_PHONE}))
    hosted_llm.primary.reply_text("What's the store's name and number?")
    turn = chat.say("hi, can you save a store for me?")
    assert user.stores.count() == 0
    assert turn.reply.tool_calls == []
    _, agent = hosted_llm.primary.requests
    # The brief tells the agent what happened, without the invented values.
    assert '"kind": "not_in_message"' in agent.system_text
    assert '"field": "name and phone"' in agent.system_text
    assert "return_response" not in agent.system_text
    assert chat.conversation.off_scope_count == 0


def test_a_hosted_classifier_inventing_the_number_keeps_the_typed_name(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call(_save({"name": "Joe's Pizza", "phone": INVENTED_PHONE}))
    hosted_llm.primary.reply_text("What's the number for Joe's Pizza?")
    chat.say("Save Joe's Pizza")
    assert user.stores.count() == 0
    assert chat.conversation.pending_action["saves"][0]["name"] == "Joe's Pizza"
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO


def test_a_hosted_agent_saving_invented_values_is_refused(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "clarification"})
    hosted_llm.primary.reply_tool_call({"store_name": "Joe's Pizza", "phone": INVENTED_PHONE}, name="save_store")
    hosted_llm.primary.reply_text("What's the number for Joe's Pizza?")
    turn = chat.say("I want to add Joe's Pizza")
    assert user.stores.count() == 0
    [call] = turn.reply.tool_calls
    assert call["result"] == {"status": "refused", "reason": "not_in_user_words", "fields": ["phone"]}
    assert "not_in_user_words" in hosted_llm.primary.requests[-1].sent_text


def test_a_hosted_save_of_what_the_user_typed_goes_through(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call(_save({"name": "ACME Hardware", "phone": "+14155550198"}))
    hosted_llm.primary.reply_text("Saved ACME Hardware.")
    chat.say("save acme hardware, 415 555 0198")
    assert user.stores.get().store_name == "ACME Hardware"
