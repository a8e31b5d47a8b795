"""The reference's request-body rules: required fields, types, patterns, enums and lengths.

Each operation's body is described by a tuple of `Rule`s taken from the reference; `check`
answers 422 listing every field that breaks one, and drops fields the operation does not take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from runform.providers.cycloid.sandbox.errors import ApiError

CANONICAL = re.compile(r"^[a-z0-9]+[a-z0-9\-_]+[a-z0-9]+$")
PROJECT_CANONICAL = re.compile(r"^[a-z0-9]+(([a-z0-9\-_]+)?[a-z0-9]+)?$")
ENVIRONMENT_CANONICAL = re.compile(r"^[\da-zA-Z]+(?:[\da-zA-Z\-._]+[\da-zA-Z]|[\da-zA-Z])?$")
CREDENTIAL_PATH = re.compile(r"^[a-zA-z0-9_\-./]+$")
COLOR_KEYWORD = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Rule:
    """One body field: its JSON type, whether it is required, and its constraints."""

    name: str
    type: type | tuple[type, ...] = str
    required: bool = False
    pattern: re.Pattern[str] | None = None
    enum: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    items: Rule | None = None  # for a list: the rule every item follows


def check(body: dict[str, Any], rules: tuple[Rule, ...]) -> dict[str, Any]:
    """The body's known fields, or 422 with one detail per broken rule."""
    problems: list[str] = []
    for rule in rules:
        if rule.name not in body or body[rule.name] is None:
            if rule.required:
                problems.append(f"{rule.name}: is required")
            continue
        problems += _problems(rule.name, body[rule.name], rule)
    if problems:
        raise ApiError.invalid(problems)
    return {rule.name: body[rule.name] for rule in rules if body.get(rule.name) is not None}


def _problems(where: str, value: Any, rule: Rule) -> list[str]:
    wanted = rule.type if isinstance(rule.type, tuple) else (rule.type,)
    if isinstance(value, bool) and bool not in wanted:
        return [f"{where}: must be of type {_type_name(wanted)}"]
    if not isinstance(value, wanted):
        return [f"{where}: must be of type {_type_name(wanted)}"]
    found: list[str] = []
    if isinstance(value, str):
        if rule.min_length is not None and len(value) < rule.min_length:
            found.append(f"{where}: should be at least {rule.min_length} chars long")
        if rule.max_length is not None and len(value) > rule.max_length:
            found.append(f"{where}: should be at most {rule.max_length} chars long")
        if rule.pattern is not None and not rule.pattern.match(value):
            found.append(f"{where}: should match '{rule.pattern.pattern}'")
        if rule.enum and value not in rule.enum:
            found.append(f"{where}: should be one of {list(rule.enum)}")
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        found.append(f"{where}: should be greater than or equal to 0")
    if isinstance(value, list) and rule.items is not None:
        for index, item in enumerate(value):
            found += _problems(f"{where}.{index}", item, rule.items)
    return found


def _type_name(types: tuple[type, ...]) -> str:
    names = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def canonical_rule(required: bool = False, pattern: re.Pattern[str] = CANONICAL) -> Rule:
    low = 3 if pattern is CANONICAL else 1
    return Rule("canonical", required=required, pattern=pattern, min_length=low, max_length=100)


CANONICAL_ITEM = Rule("item", pattern=CANONICAL, min_length=3, max_length=100)
RULE_ITEM = Rule("rule", type=dict)

ROLE = (
    Rule("name", required=True, min_length=3, max_length=100),
    canonical_rule(),
    Rule("description"),
    Rule("rules", type=list, required=True, items=RULE_ITEM),
)
TEAM_CREATE = (
    canonical_rule(),
    Rule("name", required=True, min_length=3),
    Rule("owner"),
    Rule("roles_canonical", type=list, required=True, items=CANONICAL_ITEM),
)
TEAM_UPDATE = (canonical_rule(required=True), *TEAM_CREATE[1:])
MEMBER = (Rule("username", required=True),)
CREDENTIAL_TYPES = (
    "ssh",
    "aws",
    "custom",
    "azure",
    "azure_storage",
    "gcp",
    "basic_auth",
    "elasticsearch",
)
CREDENTIAL_CREATE = (
    Rule("name", required=True),
    canonical_rule(),
    Rule("type", required=True, enum=(*CREDENTIAL_TYPES, "swift", "vmware")),
    Rule("path", required=True, pattern=CREDENTIAL_PATH),
    Rule("raw", type=dict, required=True),
    Rule("description"),
    Rule("owner"),
)
# updateCredential's enum, as the reference gives it, has no "swift".
CREDENTIAL_UPDATE = (
    Rule("name", required=True),
    canonical_rule(required=True),
    Rule("type", required=True, enum=(*CREDENTIAL_TYPES, "vmware")),
    *CREDENTIAL_CREATE[3:],
)
CONFIG_REPOSITORY_CREATE = (
    Rule("name", required=True),
    canonical_rule(),
    Rule("url", required=True),
    Rule("branch", required=True),
    Rule("default", type=bool, required=True),
    Rule("credential_canonical", required=True, pattern=CANONICAL, min_length=3, max_length=100),
)
CONFIG_REPOSITORY_UPDATE = (CONFIG_REPOSITORY_CREATE[0], *CONFIG_REPOSITORY_CREATE[2:])
_PROJECT_COMMON = (
    Rule("name", required=True, min_length=1),
    Rule("description"),
    Rule("owner"),
)
_LOOKS = (Rule("color", max_length=64), Rule("icon", max_length=64))
PROJECT_CREATE = (
    canonical_rule(pattern=PROJECT_CANONICAL),
    *_PROJECT_COMMON,
    Rule(
        "config_repository_canonical",
        required=True,
        pattern=CANONICAL,
        min_length=3,
        max_length=100,
    ),
    Rule("team_canonical", pattern=CANONICAL, min_length=3, max_length=100),
    *_LOOKS,
)
PROJECT_UPDATE = (
    *_PROJECT_COMMON,
    Rule("cloud_provider", enum=("aws", "google", "azurerm", "flexibleengine", "openstack")),
    Rule("config_repository_canonical", pattern=CANONICAL, min_length=3, max_length=100),
    Rule("updated_at", type=int, required=True),
    *_LOOKS,
)
ENVIRONMENT_CREATE = (
    canonical_rule(pattern=ENVIRONMENT_CANONICAL),
    Rule("name", required=True, min_length=1, max_length=100),
    Rule("color", max_length=64),
)
ENVIRONMENT_UPDATE = ENVIRONMENT_CREATE[1:]
SEVERITIES = ("critical", "warning", "advisory")
INFRA_POLICY_CREATE = (
    Rule("name", required=True, min_length=3),
    Rule("description"),
    canonical_rule(),
    Rule("owner", required=True, pattern=CANONICAL, min_length=3, max_length=100),
    Rule("body", required=True),
    Rule("severity", required=True, enum=SEVERITIES),
    Rule("enabled", type=bool),
)
INFRA_POLICY_UPDATE = (
    Rule("name", required=True, min_length=3),
    Rule("description", required=True),
    Rule("owner", required=True, max_length=100),
    Rule("body", required=True),
    Rule("severity", required=True, enum=SEVERITIES),
    Rule("enabled", type=bool, required=True),
)
EVENT_TYPES = ("Cycloid", "AWS", "Monitoring", "Custom")
EVENT_SEVERITIES = ("info", "warn", "err", "crit")
EVENT = (
    Rule("type", required=True, enum=EVENT_TYPES),
    Rule("title", required=True, min_length=1),
    Rule("message", required=True, min_length=1),
    Rule("icon", min_length=3),
    Rule("severity", required=True, enum=EVENT_SEVERITIES),
    Rule("tags", type=list, required=True, items=Rule("tag", type=dict)),
    Rule("color", pattern=COLOR_KEYWORD, min_length=3, max_length=20),
)
