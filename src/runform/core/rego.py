"""User policies in Rego, evaluated in-process (regopy) over the JSON plan.

A policy is one `.rego` file under the project's policy directory. Its `# METADATA` block (as
OPA's annotations: YAML in comments, before `package`) gives `title` or `description`, and
under `custom:` its `severity` (critical, warning, advisory; required) and optionally `name`
(default: the file's name without `.rego`). The policy's `deny` rule yields messages: a string,
or an object with `msg` and `address` (or `addresses`). Files ending `_test.rego` are OPA
tests and are skipped.

This module, and regopy, are imported only when there is a policy file (`runform.core.policy.
policy_files`), so plans without policies never load them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runform.core.policy import Finding, PolicyOutcome, Severity
from runform.errors import PolicyError
from runform.text.safe import shown

_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)", re.MULTILINE)
_ERROR = re.compile(r"\(error \d+:(?P<file>[^|\n]*)\|(?P<offset>\d+)\|\d+")
_MESSAGE = re.compile(r"\(errormsg (?P<length>\d+):")
SEVERITIES = ", ".join(s.value for s in Severity)


@dataclass(frozen=True)
class RegoPolicy:
    """One policy file: where it is, its source, and what its metadata says."""

    path: str
    text: str
    package: str
    name: str
    severity: Severity
    description: str


def read_policy(path: Path) -> RegoPolicy:
    """A policy file and its metadata; a missing package or severity is a clear error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PolicyError(f"{path}: cannot read the policy file ({err})") from None
    package = _PACKAGE.search(text)
    if package is None:
        raise PolicyError(f"{path}:1:1: a Rego policy begins with `package NAME`")
    meta, line = _metadata(path, text)
    raw = meta.get("custom")
    custom: dict[str, Any] = raw if isinstance(raw, dict) else {}
    severity = custom.get("severity")
    if severity not in {s.value for s in Severity}:
        got = f"is {shown(str(severity))}" if severity is not None else "is missing"
        raise PolicyError(
            f"{path}:{line}:1: the policy's severity {got}: give `custom: severity:` one of "
            f"{SEVERITIES} in its # METADATA block"
        )
    name = str(custom.get("name") or path.name.removesuffix(".rego"))
    description = str(meta.get("title") or meta.get("description") or "")
    return RegoPolicy(str(path), text, package[1], name, Severity(severity), description)


def _metadata(path: Path, text: str) -> tuple[dict[str, Any], int]:
    """The first `# METADATA` block as a mapping, and the line it starts on."""
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        if line.strip() == "# METADATA":
            block = []
            for following in lines[number:]:
                if not following.lstrip().startswith("#"):
                    break
                block.append(following.lstrip()[1:].removeprefix(" "))
            return _yaml(path, number, "\n".join(block)), number
    return {}, 1


def _yaml(path: Path, line: int, text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(text) or {}
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{line + 1 + mark.line}:{mark.column + 3}" if mark else f"{line}:1"
        raise PolicyError(f"{path}:{where}: the # METADATA block is not YAML") from None
    if not isinstance(data, dict):
        raise PolicyError(f"{path}:{line}:1: the # METADATA block must be a mapping")
    return data


def evaluate(policies: list[RegoPolicy], document: dict[str, Any]) -> list[PolicyOutcome]:
    """Each policy's `deny` over `document` (the JSON plan), in one interpreter: the input
    (the costly part: rego-cpp's reading of it grows with the square of its size, see
    docs/benchmarks.md) is read once for all of them."""
    if not policies:
        return []
    from regopy import Interpreter, RegoError  # type: ignore[import-untyped]

    sources = {p.path: p.text for p in policies}
    interpreter = Interpreter()
    outcomes = []
    try:
        with _quiet():
            for policy in policies:
                interpreter.add_module(policy.path, policy.text)
            # As JSON text: regopy's input from Python values leaves quotes in strings unescaped
            # (its output is then not JSON) and unequal to the same text in a policy.
            interpreter.set_input_term(json.dumps(document, ensure_ascii=False))
            for policy in policies:
                found = str(interpreter.query(f"data.{policy.package}.deny"))
                outcomes.append(_outcome(policy, found))
    except RegoError as err:
        raise PolicyError(rego_error_text(str(err), sources)) from None
    return outcomes


def _outcome(policy: RegoPolicy, output: str) -> PolicyOutcome:
    findings: list[Finding] = []
    if output != "undefined":
        values = json.loads(output).get("expressions") or [[]]
        findings = [_finding(policy, item) for item in _items(values[0])]
    return PolicyOutcome(
        name=policy.name,
        severity=policy.severity,
        description=policy.description,
        source=policy.path,
        findings=tuple(findings),
    )


def _items(value: Any) -> list[Any]:
    if isinstance(value, dict):  # `deny[msg] { ... }` read as a partial object
        return [key for key, held in value.items() if held is True]
    return list(value) if isinstance(value, list) else [value]


def _finding(policy: RegoPolicy, item: Any) -> Finding:
    if isinstance(item, dict):
        reason = item.get("msg") or item.get("reason") or item.get("message") or policy.name
        addresses = item.get("addresses") or ([item["address"]] if item.get("address") else [])
        if isinstance(addresses, str):
            addresses = [addresses]
        return Finding(reason=str(reason), addresses=tuple(str(a) for a in addresses))
    return Finding(reason=str(item))


def rego_error_text(error: str, sources: dict[str, str]) -> str:
    """regopy's error (an s-expression of offsets) as `file:line:column: message` lines."""
    lines = []
    for found in _ERROR.finditer(error):
        path, offset = found["file"], int(found["offset"])
        message = _message(error, found.end())
        line, column = _position(sources.get(path, ""), offset)
        lines.append(f"{path}:{line}:{column}: {message}")
    if not lines:
        first = error.strip().splitlines()[0] if error.strip() else "unknown error"
        lines.append(f"a Rego policy failed: {first}")
    return "Rego policy error:\n  " + "\n  ".join(lines)


def _message(error: str, start: int) -> str:
    found = _MESSAGE.search(error, start)
    if found is None:
        return "error"
    length = int(found["length"])
    return error[found.end() : found.end() + length]


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (as regopy counts, in bytes of UTF-8)."""
    before = text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The Rego library prints its own error report on stdout: keep it out of runform's
    output (the error is raised, and reported, as file:line:column)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (an embedding without one)
        yield
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
