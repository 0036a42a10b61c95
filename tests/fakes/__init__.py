"""Local stand-ins for the hosted model APIs, so provider code runs for real against 127.0.0.1."""
