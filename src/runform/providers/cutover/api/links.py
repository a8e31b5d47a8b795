"""Pagination links as Cutover writes them, turned into paths under the configured base URL.

Cutover's `links.next` may be absolute on another host than the one called (shared
production answers with `api.cutover.com` links), a path, or relative without a leading
slash (`core/runbooks?...`, relative to the base URL). Whatever the shape, only its path
and query are kept and sent to the configured base URL: the token goes to no other host,
and a link cannot steer the client anywhere else.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def follow_link(base_url: str, link: str) -> str:
    """`link` as a path and query to send under `base_url` (which has no trailing slash)."""
    if link.startswith(base_url + "/"):
        return link[len(base_url) :]  # the usual case, without parsing the URL
    parts = urlsplit(link)
    path = parts.path
    if parts.scheme or parts.netloc:
        path = path or "/"  # another origin: its path and query, onto ours
    elif not path.startswith("/"):
        path = "/" + path  # `core/runbooks?...`: relative to the base URL
    prefix = urlsplit(base_url).path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :] or "/"  # the link repeats the base URL's own path
    return f"{path}?{parts.query}" if parts.query else path
