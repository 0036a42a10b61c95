"""Background work of the conversations app (django-q2): thin, by id."""

from conversations.services import summary_write


def conversation_summarize(conversation_id: int) -> None:
    summary_write(conversation_id=conversation_id)
