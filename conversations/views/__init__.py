"""Chat pages (views/chat.py), the reply stream (views/stream.py) and what they display (views/transcript.py)."""
