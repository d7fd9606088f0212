"""What every printed sheet carries in its margins: the manual's name and the board at the top, the stamp
("correct as printed on ...", with the page's address) and "Page n of m" at the foot.

Chromium draws them in the page's margin boxes (`@page { @bottom-left { ... } }` in `procedures.css`),
which read three custom properties of the root element. The build writes them into each page's head
with the build time (what a print without scripts says); the page's script puts the moment of printing
and the board picked in their place. The whole-manual PDFs set them per chapter (`procedures_tools.book`).
"""

from __future__ import annotations

import html
import re

SITE = "--procedures-sheet-site"
BOARD = "--procedures-sheet-board"
STAMP = "--procedures-sheet-stamp"
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# What may stand as itself in a CSS string written into a <style> element: no quote, no backslash, no `<`.
_PLAIN = re.compile(r"[^\w .,:;/?&=()'!@%+~#*$\[\]-]")


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside a `<style>` element: white space runs become one space,
    and any character that could end the string or the element is written as a hexadecimal escape."""
    squashed = _SPACE.sub(" ", text).strip()
    return '"' + _PLAIN.sub(lambda match: f"\\{ord(match.group()):06x}", squashed) + '"'


def plain_text(fragment_html: str) -> str:
    """The text a reader sees of a small HTML fragment (a rendered stamp wording)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", fragment_html))).strip()


def declarations(site: str, board: str | None, stamp: str) -> str:
    """The three custom properties, as CSS declarations."""
    return f"{SITE}: {css_string(site)}; {BOARD}: {css_string(board or '')}; {STAMP}: {css_string(stamp)};"


def style_element(site: str, board: str | None, stamp: str) -> str:
    """The page's sheet marks as a `<style>` element for its head."""
    return f'<style class="procedures-sheet">:root {{ {declarations(site, board, stamp)} }}</style>'
