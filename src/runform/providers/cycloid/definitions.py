"""Reading Cycloid files into the desired state of one organization, offline.

Each object's canonical is the file's, or derived from its name; references (a team's roles, a
project's config repository) may name an object by canonical or by name and are resolved here
to canonicals. Every problem is reported with file:line:column. A credential's secret stays a
file path: it is read only when a write sends it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from runform.core.address import Address
from runform.core.problems import Path as FieldPath
from runform.core.problems import Problem, definition_error
from runform.core.resources import Resource, RootState
from runform.core.source import Source, read_source
from runform.errors import DefinitionError
from runform.providers.cycloid import canonical as canon
from runform.providers.cycloid import models
from runform.providers.cycloid.schema import KINDS, SECTIONS

WHAT = "Cycloid files"


@dataclass
class Definitions:
    """One organization as the files want it, and what runform needs beside the values."""

    root: RootState
    file: Path
    sections: frozenset[str]  # the kinds the file manages (their section is present)
    teams_with_members: frozenset[str] = frozenset()
    projects_with_environments: frozenset[str] = frozenset()
    secrets: dict[str, Path] = field(default_factory=dict)  # credential canonical -> file

    @property
    def organization(self) -> str:
        return self.root.root.key


def is_cycloid_document(data: object) -> bool:
    return isinstance(data, dict) and "cycloid" in data


def load(path: str | Path) -> Definitions:
    """One Cycloid file; DefinitionError listing every problem in it."""
    try:
        source = read_source(path)
    except DefinitionError as err:  # YAML syntax, size, encoding: said of Cycloid files
        raise definition_error(err.problems, WHAT) from None
    if not isinstance(source.data, dict):
        raise definition_error([source.problem((), "a Cycloid file is a mapping")], WHAT)
    try:
        spec = models.CycloidFile.model_validate(source.data)
    except ValidationError as err:
        raise definition_error(_validation_problems(source, err), WHAT) from None
    return _Builder(source, Path(path), spec).build()


def load_all(paths: Iterable[str | Path]) -> list[Definitions]:
    found = [load(p) for p in paths]
    seen: dict[str, Path] = {}
    for item in found:
        if item.organization in seen:
            raise DefinitionError(
                f"{item.file}: the organization {item.organization!r} is already described in "
                f"{seen[item.organization]}; one file per organization"
            )
        seen[item.organization] = item.file
    return found


def _validation_problems(source: Source, err: ValidationError) -> list[Problem]:
    problems = []
    for error in err.errors():
        location = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "literal_error" and "expected" in error.get("ctx", {}):
            message = f"must be one of {error['ctx']['expected']}"
        problems.append(source.problem(location, message))
    return problems


class _Builder:
    def __init__(self, source: Source, path: Path, spec: models.CycloidFile) -> None:
        self.source, self.path, self.spec = source, path, spec
        self.problems: list[Problem] = []
        self.org = Address.of("organization", spec.cycloid.organization)
        self.canonicals: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}  # name -> c

    def build(self) -> Definitions:
        org_problem = canon.problem(self.spec.cycloid.organization, "organization")
        if org_problem:
            self.problems.append(self.source.problem(("cycloid", "organization"), org_problem))
        for kind in KINDS:
            for index, item in enumerate(getattr(self.spec, SECTIONS[kind]) or ()):
                self._canonical(kind, (SECTIONS[kind], index), item)
        resources: list[Resource] = []
        secrets: dict[str, Path] = {}
        members: set[str] = set()
        environments: set[str] = set()
        for role in self.spec.roles or ():
            values: dict[str, Any] = {"name": role.name, "rules": [_rule(r) for r in role.rules]}
            resources.append(self._resource("role", role, values, description=role.description))
        for index, team in enumerate(self.spec.teams or ()):
            at: FieldPath = ("teams", index)
            roles = [
                self._reference("role", r, (*at, "roles", i)) for i, r in enumerate(team.roles)
            ]
            values = {"name": team.name, "roles": roles}
            made = self._resource("team", team, values, owner=team.owner)
            resources.append(made)
            if team.members is not None:
                members.add(made.key)
                resources += self._members(made, team.members, at)
        for index, credential in enumerate(self.spec.credentials or ()):
            values = {
                "name": credential.name,
                "type": credential.type,
                "path": credential.path,
                "rotate": credential.rotate,
            }
            made = self._resource(
                "credential",
                credential,
                values,
                description=credential.description,
                owner=credential.owner,
            )
            resources.append(made)
            where = ("credentials", index, "raw_file" if credential.raw_file else "raw")
            secrets[made.key] = self._secret(credential.secret_file, where)
        for index, repo in enumerate(self.spec.config_repositories or ()):
            at = ("config_repositories", index, "credential")
            values = {
                "name": repo.name,
                "url": repo.url,
                "branch": repo.branch,
                "default": repo.default,
                "credential": self._reference("credential", repo.credential, at),
            }
            resources.append(self._resource("config_repository", repo, values))
        defaults = [i for i, r in enumerate(self.spec.config_repositories or ()) if r.default]
        for index in defaults[1:]:  # one is the organization's default: making one unsets others
            self.problems.append(
                self.source.problem(
                    ("config_repositories", index, "default"),
                    "only one config repository can be the default",
                )
            )
        for index, project in enumerate(self.spec.projects or ()):
            resources += self._project(project, ("projects", index), environments)
        for index, policy in enumerate(self.spec.infra_policies or ()):
            at = ("infra_policies", index)
            values = {
                "name": policy.name,
                "owner": policy.owner,
                "severity": policy.severity,
                "enabled": policy.enabled,
                "body": self._text_file(policy.body_file, (*at, "body_file")),
            }
            resources.append(
                self._resource("infra_policy", policy, values, description=policy.description)
            )
        if self.problems:
            raise definition_error(self.problems, WHAT)
        sections = frozenset(k for k in KINDS if getattr(self.spec, SECTIONS[k]) is not None)
        root = Resource(self.org, {})
        return Definitions(
            root=RootState(root, tuple(resources), source=f"{self.path}:1"),
            file=self.path,
            sections=sections,
            teams_with_members=frozenset(members),
            projects_with_environments=frozenset(environments),
            secrets=secrets,
        )

    def _canonical(self, kind: str, at: tuple[Any, ...], item: models.Named) -> str:
        chosen = item.canonical if item.canonical is not None else canon.derive(item.name)
        where = (*at, "canonical" if item.canonical is not None else "name")
        problem = canon.problem(chosen, kind)
        if problem:
            derived = (
                "" if item.canonical is not None else f" (derived from the name {item.name!r})"
            )
            self.problems.append(self.source.problem(where, problem + derived))
        names = self.canonicals[kind]
        if chosen in names.values():
            self.problems.append(
                self.source.problem(where, f"the canonical {chosen!r} is used twice")
            )
        names[item.name] = chosen
        return chosen

    def _resource(
        self, kind: str, item: models.Named, values: dict[str, Any], **optional: Any
    ) -> Resource:
        key = item.canonical if item.canonical is not None else canon.derive(item.name)
        values.update({name: value for name, value in optional.items() if value is not None})
        return Resource(self.org.child(kind, key), values)

    def _reference(self, kind: str, text: str, at: tuple[Any, ...]) -> str:
        """A canonical for `text`: an object of the file by canonical or name, or a canonical."""
        names = self.canonicals[kind]
        if text in names.values():
            return text
        if text in names:
            return names[text]
        if canon.problem(text, kind) is None:
            return text  # an object the file does not manage (a built-in role, say)
        known = sorted(names.values())
        choices = f"; the file defines {', '.join(known)}" if known else ""
        self.problems.append(
            self.source.problem(
                at,
                f"{text!r} is neither a canonical nor the name of a "
                f"{kind.replace('_', ' ')}{choices}",
            )
        )
        return text

    def _members(self, team: Resource, usernames: list[str], at: tuple[Any, ...]) -> list[Resource]:
        seen: set[str] = set()
        found = []
        for index, username in enumerate(usernames):
            if username in seen:
                self.problems.append(
                    self.source.problem((*at, "members", index), f"{username!r} is listed twice")
                )
            seen.add(username)
            found.append(Resource(team.address.child("member", username), {"username": username}))
        return found

    def _project(
        self, project: models.Project, at: tuple[Any, ...], with_envs: set[str]
    ) -> list[Resource]:
        values: dict[str, Any] = {
            "name": project.name,
            "config_repository": self._reference(
                "config_repository", project.config_repository, (*at, "config_repository")
            ),
        }
        if project.team is not None:
            values["team"] = self._reference("team", project.team, (*at, "team"))
        made = self._resource(
            "project",
            project,
            values,
            description=project.description,
            owner=project.owner,
            color=project.color,
            icon=project.icon,
        )
        found = [made]
        if project.environments is None:
            return found
        with_envs.add(made.key)
        seen: set[str] = set()
        for index, env in enumerate(project.environments):
            where = (*at, "environments", index)
            key = env.canonical if env.canonical is not None else canon.derive(env.name)
            problem = canon.problem(key, "environment")
            if problem or key in seen:
                field_name = "canonical" if env.canonical is not None else "name"
                self.problems.append(
                    self.source.problem(
                        (*where, field_name), problem or f"the canonical {key!r} is used twice"
                    )
                )
            seen.add(key)
            env_values: dict[str, Any] = {"name": env.name}
            if env.color is not None:
                env_values["color"] = env.color
            found.append(Resource(made.address.child("environment", key), env_values))
        return found

    def _file(self, relative: str, at: tuple[Any, ...]) -> Path | None:
        path = (self.path.parent / relative).resolve()
        if not path.is_file():
            self.problems.append(self.source.problem(at, f"no such file: {relative}"))
            return None
        return path

    def _secret(self, relative: str, where: tuple[Any, ...]) -> Path:
        """The secret's file, checked to hold a JSON object; its content is not kept."""
        path = self._file(relative, where)
        if path is None:
            return self.path.parent / relative
        try:
            is_object = isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
        except (ValueError, UnicodeDecodeError, OSError):
            is_object = False
        if not is_object:
            self.problems.append(
                self.source.problem(
                    where, f"{relative} must hold a JSON object (the credential's raw fields)"
                )
            )
        return path

    def _text_file(self, relative: str, at: tuple[Any, ...]) -> str:
        path = self._file(relative, at)
        if path is None:
            return ""
        try:
            return path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError) as err:
            self.problems.append(self.source.problem(at, f"cannot read {relative}: {err}"))
            return ""


def read_secret(path: Path) -> dict[str, Any]:
    """A credential's raw fields, read at the moment a write sends them."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DefinitionError(
            f"{path}: the credential's secret cannot be read ({type(err).__name__})"
        ) from None
    if not isinstance(raw, dict):
        raise DefinitionError(f"{path}: must hold a JSON object")
    return raw


def _rule(rule: models.Rule) -> dict[str, Any]:
    return {"action": rule.action, "effect": rule.effect, "resources": sorted(rule.resources)}
