"""Overlays: reading blocks, finding headings, and merging without touching regional text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mkdocs_procedures.core.overlays import (
    LocalBlock,
    Position,
    headings_of,
    merge,
    parse_overlay,
)

CHAPTER = """\
Intro line.

## When to refer

Refer when worried.

### Urgent cases

Call 999.

## How to refer

Use the form.

```
## not a heading inside code
```
"""


def block(position: Position, anchor: str | None, text: str, board: str = "north") -> LocalBlock:
    return LocalBlock(board, position, anchor, text, "boards/north/overlays/c.md", 1)


def render(local: LocalBlock) -> str:
    return f"[{local.board}:{local.markdown}]"


def test_headings_get_the_anchors_the_toc_extension_gives() -> None:
    text = "## Making a Referral\n\n## Who's who?\n\n## Making a referral\n\n### Heading {#custom}\n"
    assert [(h.level, h.anchor, h.line_index) for h in headings_of(text)] == [
        (2, "making-a-referral", 0), (2, "whos-who", 2), (2, "making-a-referral_1", 4), (3, "custom", 6)
    ]


def test_headings_inside_fenced_code_are_not_headings() -> None:
    assert [h.anchor for h in headings_of(CHAPTER)] == ["when-to-refer", "urgent-cases", "how-to-refer"]


@pytest.mark.parametrize(
    ("position", "anchor", "before", "after"),
    [
        (Position.BEFORE, "how-to-refer", "Call 999.", "## How to refer"),
        (Position.AFTER, "how-to-refer", "## How to refer", "Use the form."),
        (Position.END_OF, "when-to-refer", "Call 999.", "## How to refer"),
        (Position.END_OF, "urgent-cases", "Call 999.", "## How to refer"),
        (Position.END_OF, "how-to-refer", "```", None),
        (Position.END, None, "```", None),
    ],
)
def test_each_position_places_the_block(position: Position, anchor: str | None, before: str, after: str | None) -> None:
    merged = [line for line in merge(CHAPTER, [block(position, anchor, "LOCAL")], render).split("\n") if line]
    at = merged.index("[north:LOCAL]")
    assert merged[at - 1] == before
    assert (merged[at + 1] if at + 1 < len(merged) else None) == after


def test_blocks_at_the_same_place_keep_board_order_and_section_end_comes_before_the_next_heading() -> None:
    blocks = [
        block(Position.BEFORE, "how-to-refer", "B", "north"),
        block(Position.END_OF, "when-to-refer", "E1", "north"),
        block(Position.END_OF, "when-to-refer", "E2", "south"),
    ]
    merged = [line for line in merge(CHAPTER, blocks, render).split("\n") if line.startswith("[")]
    assert merged == ["[north:E1]", "[south:E2]", "[north:B]"]


OVERLAY = """\
---
chapter: making-a-referral
---

::: after #how-to-refer "Local form"
Use the **north** form.
:::

::: end
Thanks.
:::
"""


def test_an_overlay_file_reads_into_blocks_with_lines_and_titles() -> None:
    overlay, problems = parse_overlay("o.md", OVERLAY, "north", "o")
    assert problems == []
    assert overlay.chapter_id == "making-a-referral"
    assert [(b.position, b.anchor, b.title, b.markdown, b.line) for b in overlay.blocks] == [
        (Position.AFTER, "how-to-refer", "Local form", "Use the **north** form.", 5),
        (Position.END, None, None, "Thanks.", 9),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("::: aftr #x\nT\n:::\n", "o.md:1: unknown position `aftr`; did you mean `after`?"),
        ("::: after\nT\n:::\n", "o.md:1: `after` needs the anchor of a regional heading"),
        ("::: end #x\nT\n:::\n", "o.md:1: `end` places a block at the end of the chapter and takes no anchor"),
        ("::: end\nT\n", "o.md:1: the block is never closed"),
        ("Stray text\n", "o.md:1: text outside a block is not published"),
        ("::: end\n\n:::\n", "o.md:1: the block is empty"),
        ("::: end\n## Local heading\n:::\n", "o.md:2: headings are not allowed in local blocks (a `#` heading)"),
        ("::: end\nLocal heading\n-----\n:::\n",
         "o.md:3: headings are not allowed in local blocks (a line underlined with `---`)"),
        ("::: end\nText\n\nLocal heading\n===\n:::\n",
         "o.md:5: headings are not allowed in local blocks (a line underlined with `===`)"),
        ("::: end\nSee <H2 class=x>Local</H2>\n:::\n",
         "o.md:2: headings are not allowed in local blocks (an HTML heading `H2`)"),
        ("::: end\nA\n::: end\nB\n:::\n", "o.md:3: a new block starts before the block opened on line 1 is closed"),
        (":::\n", "o.md:1: a closing `:::` with no block open"),
        ("---\nboard: x\n---\n", "o.md:2: unknown field `board`"),
    ],
)
def test_overlay_mistakes_name_the_line(text: str, expected: str) -> None:
    _, problems = parse_overlay("o.md", text, "north", "o")
    assert any(str(problem).startswith(expected) for problem in problems), problems


def test_fenced_code_in_a_block_may_hold_hash_lines() -> None:
    _, problems = parse_overlay("o.md", "::: end\n```\n# comment\n<h2>\nx\n---\n```\n:::\n", "north", "o")
    assert problems == []


def test_a_rule_after_a_blank_line_is_not_a_heading() -> None:
    _, problems = parse_overlay("o.md", "::: end\nText\n\n---\n\nMore\n:::\n", "north", "o")
    assert problems == []


# Property: merging inserts blocks between regional lines and never loses or reorders regional text.
regional_line = st.one_of(
    st.text(alphabet="abc xyz.", min_size=0, max_size=12),
    st.builds(lambda level, word: "#" * level + " " + word, st.integers(2, 4), st.sampled_from(["Alpha", "Beta", "Gamma"])),
)


@given(
    lines=st.lists(regional_line, min_size=1, max_size=25),
    choices=st.lists(st.tuples(st.sampled_from(list(Position)), st.integers(0, 30)), max_size=8),
)
def test_merge_keeps_regional_lines_in_order_and_each_block_once(
    lines: list[str], choices: list[tuple[Position, int]]
) -> None:
    markdown = "\n".join(lines)
    anchors = [heading.anchor for heading in headings_of(markdown)]
    blocks = []
    for number, (position, pick) in enumerate(choices):
        if position is Position.END:
            blocks.append(block(position, None, f"BLOCK{number}"))
        elif anchors:
            blocks.append(block(position, anchors[pick % len(anchors)], f"BLOCK{number}"))
    merged = merge(markdown, blocks, render).split("\n")
    inserted = [line for line in merged if line.startswith("[north:BLOCK")]
    assert sorted(inserted) == sorted(f"[north:{b.markdown}]" for b in blocks)
    regional = [line for line in merged if not line.startswith("[north:BLOCK")]
    # Only blank separator lines are added around blocks.
    assert [line for line in regional if line] == [line for line in lines if line]
    assert len(regional) - len(lines) == 2 * len(blocks)
