"""A plan in Terraform's JSON plan shape (`terraform show -json`), so tools written for
Terraform plans read it: conftest policies over `input.resource_changes[_].change.actions`,
and services that take a "tfplan" (such as an infrastructure-policy check).

Only the parts such tools read: `resource_changes` with `address`, `mode`, `type`, `name`,
`provider_name` and `change` (`actions`, `before`, `after`). A template copy is a `create`.
"""

from __future__ import annotations

import json
from typing import Any

from runform import __version__
from runform.core.model import Action, Change, Plan

TFPLAN_FORMAT_VERSION = "1.2"
ACTIONS = {
    Action.CREATE: ["create"],
    Action.COPY: ["create"],
    Action.UPDATE: ["update"],
    Action.DELETE: ["delete"],
    Action.NOOP: ["no-op"],
}


def tfplan_document(plan: Plan) -> dict[str, Any]:
    return {
        "format_version": TFPLAN_FORMAT_VERSION,
        "terraform_version": f"runform {__version__}",
        "resource_changes": [
            _resource_change(root.provider, change)
            for root in plan.roots
            for change in root.changes
        ],
        "timestamp": plan.created_at,
        "applyable": plan.blocked is None and all(r.appliable for r in plan.roots),
        "errored": False,
    }


def _resource_change(provider: str, change: Change) -> dict[str, Any]:
    return {
        "address": change.address,
        "mode": "managed",
        "type": change.kind,
        "name": change.name,
        "provider_name": f"runform/{provider}",
        "change": {
            "actions": ACTIONS[change.action],
            "before": change.before,
            "after": change.after,
        },
    }


def render_tfplan_json(plan: Plan) -> str:
    return json.dumps(tfplan_document(plan), indent=2, ensure_ascii=False) + "\n"
