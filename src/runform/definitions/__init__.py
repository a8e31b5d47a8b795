"""Runbook files: the YAML format, its loading with positions, offline checks, fmt and schema."""

from __future__ import annotations

from runform.definitions.load import Definitions, discover_files, load_definitions
from runform.definitions.project import ProjectConfig, load_project

__all__ = ["Definitions", "ProjectConfig", "discover_files", "load_definitions", "load_project"]
