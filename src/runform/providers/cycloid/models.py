"""Pydantic models of a Cycloid file: what each section may hold, as the reference requires.

Names are identity for people (a canonical is derived from them when a file gives none);
references name other objects by canonical or by name. Secrets are never in the file: a
credential's `raw` comes from a file reference (`raw_file:` or `raw: ${file:PATH}`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Keyword = Annotated[str, StringConstraints(pattern=r"^[a-z]+$", min_length=3, max_length=20)]
CREDENTIAL_TYPES = (
    "ssh",
    "aws",
    "custom",
    "azure",
    "azure_storage",
    "gcp",
    "basic_auth",
    "elasticsearch",
    "swift",
    "vmware",
)


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class Settings(Spec):
    organization: Annotated[str, StringConstraints(min_length=3, max_length=100)]


class Rule(Spec):
    action: Annotated[str, StringConstraints(min_length=1)]
    effect: Annotated[str, StringConstraints(min_length=1)] = "allow"
    resources: list[str] = Field(default_factory=list)


class Named(Spec):
    name: Name
    canonical: str | None = None


class Role(Named):
    name: Annotated[str, StringConstraints(min_length=3, max_length=100)]
    description: str | None = None
    rules: list[Rule]


class Team(Named):
    name: Annotated[str, StringConstraints(min_length=3)]
    owner: str | None = None
    roles: list[str]
    members: list[str] | None = None


class Credential(Named):
    type: Literal[CREDENTIAL_TYPES]  # type: ignore[valid-type]
    path: Annotated[str, StringConstraints(pattern=r"^[a-zA-z0-9_\-./]+$")]
    description: str | None = None
    owner: str | None = None
    raw_file: str | None = None
    raw: str | None = Field(default=None, description="`${file:PATH}`: the secret's file.")
    rotate: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _one_secret_source(self) -> Credential:
        if (self.raw_file is None) == (self.raw is None):
            raise ValueError(
                "give the secret as exactly one of raw_file: PATH or raw: ${file:PATH}"
            )
        if self.raw is not None and not (self.raw.startswith("${file:") and self.raw.endswith("}")):
            raise ValueError(
                "raw: must be a file reference, ${file:PATH}; secrets stay out of files"
            )
        return self

    @property
    def secret_file(self) -> str:
        return self.raw_file if self.raw_file is not None else str(self.raw)[len("${file:") : -1]


class ConfigRepository(Named):
    url: Annotated[str, StringConstraints(min_length=1)]
    branch: Annotated[str, StringConstraints(min_length=1)]
    default: bool = False
    credential: str


class Environment(Named):
    color: Annotated[str, StringConstraints(max_length=64)] | None = None


class Project(Named):
    description: str | None = None
    owner: str | None = None
    config_repository: str
    team: str | None = None
    color: Annotated[str, StringConstraints(max_length=64)] | None = None
    icon: Annotated[str, StringConstraints(max_length=64)] | None = None
    environments: list[Environment] | None = None


class InfraPolicy(Named):
    name: Annotated[str, StringConstraints(min_length=3)]
    description: str | None = None
    owner: str
    severity: Literal["critical", "warning", "advisory"]
    enabled: bool = True
    body_file: str


class CycloidFile(Spec):
    cycloid: Settings
    roles: list[Role] | None = None
    teams: list[Team] | None = None
    credentials: list[Credential] | None = None
    config_repositories: list[ConfigRepository] | None = None
    projects: list[Project] | None = None
    infra_policies: list[InfraPolicy] | None = None


class EventSettings(Spec):
    """runform.yaml `cycloid: events:`: one event through `sendEvent` after each apply."""

    enabled: bool = True
    title: str = "runform apply"
    tags: list[dict[str, str]] = Field(
        default_factory=lambda: [{"key": "source", "value": "runform"}]
    )
    color: Keyword | None = None


class ProjectSettings(Spec):
    """runform.yaml's `cycloid:` section."""

    api_url: str | None = None
    api_key_file: str | None = None
    events: EventSettings | None = None
