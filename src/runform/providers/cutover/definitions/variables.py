"""`${var.NAME}` placeholders: values from runform.yaml, `--var-file` and `--var`, in that order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from runform.core.problems import Path as FieldPath
from runform.core.problems import Problem, definition_error
from runform.core.source import Source, read_source
from runform.errors import ConfigError
from runform.text.safe import quoted

_PLACEHOLDER = re.compile(r"\$\$\{|\$\{([^}]*)\}")
_NAME = re.compile(r"var\.([A-Za-z_][A-Za-z0-9_-]*)")


def parse_var_option(text: str) -> tuple[str, str]:
    """`name=value` from the command line."""
    name, separator, value = text.partition("=")
    if not separator or not _NAME.fullmatch(f"var.{name.strip()}"):
        raise ConfigError(
            f"--var {quoted(text)}: use NAME=VALUE with a name of letters, digits, _ or -"
        )
    return name.strip(), value


def load_variable_file(path: str | Path) -> dict[str, str]:
    """A YAML mapping of variable names to values (`--var-file`)."""
    from runform.providers.cutover.definitions.project import ProjectConfig
    from runform.providers.cutover.definitions.schema_errors import validation_problems

    source = read_source(path)
    if not isinstance(source.data, dict):
        raise definition_error([source.problem((), "a variable file is a mapping of NAME: value")])
    from pydantic import ValidationError

    try:
        config = ProjectConfig.model_validate({"variables": source.data})
    except ValidationError as err:
        problems = validation_problems(err, ProjectConfig, {"variables": source.data}, source)
        raise definition_error(
            [
                Problem(p.file, p.line, p.column, p.path.removeprefix("variables."), p.message)
                for p in problems
            ]
        ) from None
    return dict(config.variables)


def substitute(source: Source, values: dict[str, str]) -> list[Problem]:
    """Replace placeholders in the source's data in place; undefined names become Problems."""
    problems: list[Problem] = []
    if not source.has_placeholders:
        return problems
    source.data = _walk(source.data, (), values, source, problems)
    return problems


def _walk(
    node: Any, path: FieldPath, values: dict[str, str], source: Source, problems: list[Problem]
) -> Any:
    if isinstance(node, str):
        return _replace(node, path, values, source, problems) if "${" in node else node
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = _walk(value, (*path, key), values, source, problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _walk(value, (*path, index), values, source, problems)
    return node


def _replace(
    text: str, path: FieldPath, values: dict[str, str], source: Source, problems: list[Problem]
) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        inner = match.group(1).strip()
        name = _NAME.fullmatch(inner)
        if name is None:
            problems.append(
                source.problem(path, f"${{{inner}}} is not a placeholder; use ${{var.NAME}}")
            )
            return match.group(0)
        if name.group(1) not in values:
            known = ", ".join(sorted(values)) or "none are defined"
            problems.append(
                source.problem(
                    path,
                    f"undefined variable {quoted(name.group(1))} (defined: {known}); set it in "
                    "runform.yaml `variables`, --var-file or --var",
                )
            )
            return match.group(0)
        return values[name.group(1)]

    return _PLACEHOLDER.sub(one, text)


def command_line_variables(files: tuple[str, ...], options: tuple[str, ...]) -> dict[str, str]:
    """Variables from `--var-file` files, then `--var NAME=VALUE` options (later ones win)."""
    values: dict[str, str] = {}
    for path in files:
        values.update(load_variable_file(path))
    for option in options:
        name, value = parse_var_option(option)
        values[name] = value
    return values
