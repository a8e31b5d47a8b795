"""The organization a new sandbox starts with: its built-in roles and its users."""

from __future__ import annotations

from runform.core.sandbox_kit.documents import Documents

ORGANIZATION = "acme"
BUILTIN_ROLES = ("organization-admin", "organization-member", "default-project-viewer")
USERS = ("admin", "kjohnson", "mlopez", "tnguyen")
NOW = 1_700_000_000


def seed(store: Documents, organization: str = ORGANIZATION) -> None:
    """One organization, its three built-in roles, and its users as members."""
    store.put("organization", "", organization, {"canonical": organization, "name": "Acme"})
    for canonical in BUILTIN_ROLES:
        rules = [{"action": "organization:**", "effect": "allow", "resources": []}]
        store.put(
            "role",
            organization,
            canonical,
            {
                "id": store.next_id(),
                "canonical": canonical,
                "name": canonical.replace("-", " ").capitalize(),
                "description": "",
                "rules": rules if canonical == "organization-admin" else [],
                "default": True,
                "created_at": NOW,
                "updated_at": NOW,
            },
        )
    for username in USERS:
        store.put(
            "member",
            organization,
            username,
            {
                "id": store.next_id(),
                "username": username,
                "email": f"{username}@example.com",
                "invitation_state": "accepted",
                "role": {
                    "canonical": "organization-admin"
                    if username == "admin"
                    else "organization-member"
                },
            },
        )
