"""Policies over Cutover plans: the built-in rules, Rego files, and checking a plan."""
