"""Export live runbooks to files in the project's format, and bootstrap new projects."""
