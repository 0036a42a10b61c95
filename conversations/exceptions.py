"""Why a message cannot be taken; str() is a sentence for the user."""


class TurnRejected(ValueError):
    """The message itself is not acceptable (empty, too long); nothing was stored."""


class ConversationClosed(Exception):
    """The conversation has ended and takes no more messages; the user can start a new one."""
