"""Runbook files: the YAML format, its loading with positions, offline checks, fmt and schema."""

from __future__ import annotations

from runform.providers.cutover.definitions.load import Definitions, discover_files, load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig, load_project

__all__ = ["Definitions", "ProjectConfig", "discover_files", "load_definitions", "load_project"]
