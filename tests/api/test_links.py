"""Pagination links in every shape Cutover writes them, as paths under the base URL."""

from __future__ import annotations

import pytest

from runform.providers.cutover.api.links import follow_link

Q = "page%5Bnumber%5D=2&page%5Bsize%5D=100"


@pytest.mark.parametrize(
    ("base_url", "link", "path"),
    [
        # The link on the host called.
        (
            "https://api.cutover.net",
            f"https://api.cutover.net/core/runbooks?{Q}",
            f"/core/runbooks?{Q}",
        ),
        # Round 2, Pagination: absolute on another host than the one called (shared
        # production answers with api.cutover.com links): its path and query only.
        (
            "https://api.cutover.net",
            f"https://api.cutover.com/core/runbooks?{Q}",
            f"/core/runbooks?{Q}",
        ),
        (
            "https://api.cutover.net",
            f"http://evil.example:8080/core/runbooks?{Q}",
            f"/core/runbooks?{Q}",
        ),
        ("https://api.cutover.net", "https://user:pw@evil.example/core/x#frag", "/core/x"),
        ("https://api.cutover.net", f"//evil.example/core/runbooks?{Q}", f"/core/runbooks?{Q}"),
        # A path, as the sandbox and older notes write it.
        ("https://api.cutover.net", f"/core/runbooks?{Q}", f"/core/runbooks?{Q}"),
        # Round 2, Pagination: relative without a leading slash, relative to the base URL.
        ("https://api.cutover.net", f"core/runbooks?{Q}", f"/core/runbooks?{Q}"),
        # A base URL with a path: links that repeat it, and links that do not.
        (
            "https://gw.example/cutover",
            f"https://gw.example/cutover/core/tasks?{Q}",
            f"/core/tasks?{Q}",
        ),
        (
            "https://gw.example/cutover",
            f"https://other.example/cutover/core/tasks?{Q}",
            f"/core/tasks?{Q}",
        ),
        ("https://gw.example/cutover", f"/cutover/core/tasks?{Q}", f"/core/tasks?{Q}"),
        ("https://gw.example/cutover", f"core/tasks?{Q}", f"/core/tasks?{Q}"),
    ],
)
def test_link_becomes_a_path_under_the_base_url(base_url, link, path):
    assert follow_link(base_url, link) == path
