"""Text made safe inside GitHub Markdown (the diff report and the reviewer's view share it)."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def md(text: str) -> str:
    """Cell text made inert in GitHub markdown: HTML escaped, markup characters escaped, one line."""
    text = html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def code_span(text: str) -> str:
    """TEXT as an inline code span (a backtick inside would end it, so it becomes a quote)."""
    return "`" + text.replace("`", "'") + "`"
