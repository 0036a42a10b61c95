"""How replies are written in Python: the notes a turn hands the agent, the brief that carries them, the phrasing."""
