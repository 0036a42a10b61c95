"""The offline language model: rules and phonenumbers behind a real pydantic-ai model, with no network.

Only the model factory (conversations.llm) builds it; the evaluation also reads what it was sent.
"""
