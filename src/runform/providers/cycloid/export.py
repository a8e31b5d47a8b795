"""`runform export --cycloid ORG`: one organization written as a Cycloid file that plans empty.

Every managed field is written with its canonical, so the file plans no changes against the
organization it came from. Built-in roles are left out (they are never the files'). Infra
policy bodies go to `policies/CANONICAL.rego`; a credential's secret is never read or
written: each gets a placeholder `secrets/CANONICAL.json` (`{}`), to fill in before its
`rotate:` is bumped (the placeholder is what a rotation would send)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from runform.core.resources import Resource, RootState
from runform.providers.cycloid.client import CycloidClient
from runform.providers.cycloid.live import read_organization
from runform.providers.cycloid.provider import BUILTIN_ROLES
from runform.providers.cycloid.rotations import Rotations
from runform.providers.cycloid.version import read_version


def _optional(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: values[name] for name in names if values.get(name) not in (None, "")}


def organization_document(live: RootState, folder: Path) -> dict[str, Any]:
    """The file's data; writes the policy bodies and secret placeholders under `folder`."""
    by_kind: dict[str, list[Resource]] = {}
    for resource in live.children:
        by_kind.setdefault(resource.kind, []).append(resource)
    under = {
        str(r.address): [c for c in live.children if c.address.parent == r.address]
        for r in live.children
    }
    document: dict[str, Any] = {"cycloid": {"organization": live.root.key}}
    roles = [
        r
        for r in by_kind.get("role", [])
        if r.key not in BUILTIN_ROLES and not r.values.get("default")
    ]
    document["roles"] = [
        {
            "name": r.values["name"],
            "canonical": r.key,
            **_optional(r.values, "description"),
            "rules": r.values["rules"],
        }
        for r in roles
    ]
    document["teams"] = [
        {
            "name": t.values["name"],
            "canonical": t.key,
            **_optional(t.values, "owner"),
            "roles": t.values["roles"],
            "members": [m.key for m in under[str(t.address)]],
        }
        for t in by_kind.get("team", [])
    ]
    document["credentials"] = []
    for credential in by_kind.get("credential", []):
        placeholder = folder / "secrets" / f"{credential.key}.json"
        placeholder.parent.mkdir(parents=True, exist_ok=True)
        if not placeholder.exists():
            placeholder.write_text("{}\n", encoding="utf-8")
        document["credentials"].append(
            {
                "name": credential.values["name"],
                "canonical": credential.key,
                "type": credential.values["type"],
                "path": credential.values["path"],
                **_optional(credential.values, "description", "owner"),
                "raw_file": f"secrets/{credential.key}.json",
                "rotate": credential.values.get("rotate", 0),
            }
        )
    document["config_repositories"] = [
        {
            "name": r.values["name"],
            "canonical": r.key,
            "url": r.values["url"],
            "branch": r.values["branch"],
            "default": r.values["default"],
            "credential": r.values["credential"],
        }
        for r in by_kind.get("config_repository", [])
    ]
    document["projects"] = [
        {
            "name": p.values["name"],
            "canonical": p.key,
            **_optional(p.values, "description", "owner"),
            "config_repository": p.values["config_repository"],
            **_optional(p.values, "team", "color", "icon"),
            "environments": [
                {"name": e.values["name"], "canonical": e.key, **_optional(e.values, "color")}
                for e in under[str(p.address)]
            ],
        }
        for p in by_kind.get("project", [])
    ]
    document["infra_policies"] = []
    for policy in by_kind.get("infra_policy", []):
        body = folder / "policies" / f"{policy.key}.rego"
        body.parent.mkdir(parents=True, exist_ok=True)
        body.write_text(policy.values.get("body") or "", encoding="utf-8")
        document["infra_policies"].append(
            {
                "name": policy.values["name"],
                "canonical": policy.key,
                **_optional(policy.values, "description"),
                "owner": policy.values["owner"],
                "severity": policy.values["severity"],
                "enabled": policy.values["enabled"],
                "body_file": f"policies/{policy.key}.rego",
            }
        )
    return document


async def export_organization(
    client: CycloidClient, organization: str, folder: Path, state_dir: Path | None = None
) -> Path:
    """Write `folder/ORGANIZATION.yaml` (and its policy and placeholder files)."""
    await read_version(client)
    live = await read_organization(client, organization, Rotations(state_dir), {})
    folder.mkdir(parents=True, exist_ok=True)
    document = organization_document(live, folder)
    path = folder / f"{organization}.yaml"
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path
