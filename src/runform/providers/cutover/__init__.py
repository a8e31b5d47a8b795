"""The Cutover provider: runbooks, their streams and their tasks."""
