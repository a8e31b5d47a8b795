"""Readable, unique slugs for task keys and file names, derived from names."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG_LENGTH = 48


def slugify(name: str, fallback: str = "task") -> str:
    """A lowercase ASCII slug of `name` (accents folded, other characters dashed)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    return slug or fallback


def unique_slugs(names: list[str], fallback: str = "task") -> list[str]:
    """One slug per name, in order; repeats get `-2`, `-3`... so every slug is distinct."""
    taken: set[str] = set()
    slugs: list[str] = []
    for name in names:
        base = slugify(name, fallback)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs.append(slug)
    return slugs
