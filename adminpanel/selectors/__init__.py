"""Reads behind the staff dashboard: metrics, the conversation inspector,
users with their usage, and the audit log. Staff see every user's rows."""
