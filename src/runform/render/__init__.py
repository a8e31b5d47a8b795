"""Renderers: turn a Plan into text (rich), Markdown for pull requests, or JSON. No decisions."""

from runform.render.jsonout import render_json
from runform.render.markdown import render_markdown
from runform.render.text import render_text

__all__ = ["render_json", "render_markdown", "render_text"]
