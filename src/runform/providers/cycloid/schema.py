"""Cycloid's resource types as the core plans them: one root per organization, and under it
the kinds runform manages, each keyed by its canonical (a member by its username).

References between kinds are by canonical, so the core orders creations (a team after the roles
it holds, a project after its config repository) and deletions (a credential after the config
repositories that stop using it)."""

from __future__ import annotations

from runform.core.compare import Compare
from runform.core.schema import FieldSpec, ResourceType, Schema

TEXT = Compare.TEXT


def _text(*names: str) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(name, TEXT) for name in names)


CYCLOID = Schema(
    (
        ResourceType("organization", limited=False, key="canonical"),
        ResourceType(
            "role",
            limited=False,
            parent="organization",
            key="canonical",
            fields=(*_text("name", "description"), FieldSpec("rules", Compare.SET)),
        ),
        ResourceType(
            "team",
            limited=False,
            parent="organization",
            key="canonical",
            fields=(*_text("name", "owner"), FieldSpec("roles", Compare.SET, references="role")),
        ),
        ResourceType(
            "member", limited=False, parent="team", key="username", fields=_text("username")
        ),
        ResourceType(
            "credential",
            parent="organization",
            key="canonical",
            fields=(*_text("name", "type", "path", "description", "owner"), FieldSpec("rotate")),
        ),
        ResourceType(
            "config_repository",
            limited=False,
            parent="organization",
            key="canonical",
            fields=(
                *_text("name", "url", "branch"),
                FieldSpec("default"),
                FieldSpec("credential", TEXT, references="credential"),
            ),
        ),
        ResourceType(
            "project",
            parent="organization",
            key="canonical",
            fields=(
                *_text("name", "description", "owner", "color", "icon"),
                FieldSpec("config_repository", TEXT, references="config_repository"),
                FieldSpec("team", TEXT, references="team"),
            ),
        ),
        ResourceType(
            "environment", parent="project", key="canonical", fields=_text("name", "color")
        ),
        ResourceType(
            "infra_policy",
            limited=False,
            parent="organization",
            key="canonical",
            fields=(
                *_text("name", "description", "owner", "body", "severity"),
                FieldSpec("enabled"),
            ),
        ),
    )
)

# Creation order of the kinds under an organization (the core orders by references; this
# order is the one files, exports and plans list them in).
KINDS = ("role", "team", "credential", "config_repository", "project", "infra_policy")
# The file's section for each kind.
SECTIONS = {
    "role": "roles",
    "team": "teams",
    "credential": "credentials",
    "config_repository": "config_repositories",
    "project": "projects",
    "infra_policy": "infra_policies",
}
