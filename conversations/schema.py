"""Typed outputs the models fill. Python decides what happens with them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from conversations.models import Intent

# The three jobs a model does: classify a message, phrase the reply, summarise a conversation.
Role = Literal["classifier", "agent", "summarizer"]


class StoreMention(BaseModel):
    """A store named in a message; either part may be missing."""

    name: str | None = Field(default=None, description="The store's name as the user wrote it, without the phone.")
    phone: str | None = Field(default=None, description="The phone number exactly as written, if any.")


class Classification(BaseModel):
    """What one user message asks for. Filled by the classifier model."""

    intent: Intent
    stores: list[StoreMention] = Field(default_factory=list, description="Stores to save, in message order.")
    lookup_query: str | None = Field(default=None, description="Store name to look up, for retrieve_by_name.")
    other_lookup_queries: list[str] = Field(
        default_factory=list,
        description="Further store names to look up when the message asks for several (lookup_query holds the first).",
    )
    phone_digits: str | None = Field(
        default=None, description="Phone number or partial digits to look up, for retrieve_by_phone."
    )
    # update, delete: which saved store (as the user named it; null for "it" or "that"), and for update its new values.
    target: str | None = Field(default=None, description="For update and delete: the saved store's name as written.")
    new_name: str | None = Field(default=None, description="For update: the store's new name, if renamed.")
    new_phone: str | None = Field(default=None, description="For update: the store's new phone number, as written.")
    # Inside a flow: the user is correcting a value already given or cancelling the flow.
    is_correction: bool = False
    is_cancel: bool = False
    reply_hint: str | None = Field(default=None, description="For clarification: what to ask the user.")


class ClassifierInput(BaseModel):
    """What the classifier model receives as its user prompt: the message plus the context it needs.

    Sent as JSON so the message stays data: a hosted model reads the fields,
    and the offline model parses them back exactly.
    """

    message: str
    state: str = "IDLE"
    region: str = "US"
    # What the conversation has collected so far (stores missing a field), if anything.
    pending: dict[str, Any] | None = None
    # The last few messages before this one ({"role", "text"}), so details given apart join up.
    recent: list[dict[str, str]] | None = None
    # The store the conversation last saved, found or changed: what "it" or "that one" means.
    store_in_hand: str | None = None

    def to_prompt(self) -> str:
        return self.model_dump_json(exclude_none=True)

    @classmethod
    def from_prompt(cls, prompt: str) -> ClassifierInput:
        """Parse a prompt built by `to_prompt`; any other text is taken as a bare message (e.g. a "try it" sample)."""
        try:
            return cls.model_validate_json(prompt)
        except ValidationError:
            return cls(message=prompt)
