"""The conversation engine: one turn, from a submitted message to its stored reply.

`turn.py` is the entry point; the services call nothing else here. Behind it:
the state machine (`fsm.py`), carrying out its decisions (`execute.py`), the
passphrase gate, the gated tools, what a conversation holds between turns
(`pending.py`) and the model history of a turn (`history.py`).
"""
