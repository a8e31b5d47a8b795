"""Handlers for each Cutover resource; each module exposes `ROUTES`."""
