"""The README stays short and every relative link in it and in docs/ leads somewhere.

No network, no edgeapp import: the files are read as text. Links to http(s) and mailto addresses
and pure "#anchor" links are not checked; for "page.md#anchor" the page must exist and the anchor
must be the GitHub slug of one of its headings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]

# Link targets that may not exist yet, relative to the repository root.
ALLOWED_MISSING: set[str] = set()

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# the target of an inline link or image: "](target)" or "](target "title")" or "](<target>)"
INLINE_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def prose_lines(text: str):
    """The lines outside fenced code blocks."""
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield line


def link_targets(text: str) -> list[str]:
    targets = []
    for line in prose_lines(text):
        line = INLINE_CODE.sub("", line)  # `[x](y)` inside code is not a link
        targets += INLINE_TARGET.findall(line)
        ref = REFERENCE_DEF.match(line)
        if ref:
            targets.append(ref.group(1))
    return targets


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: rendered text, lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links and images: their text
    text = text.replace("`", "").replace("*", "")
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for line in prose_lines(page.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def test_slug_is_githubs():
    assert slug("Speed (`benchmarks/bench_api.py`)") == "speed-benchmarksbench_apipy"
    assert slug("Working with the cloud (`collab.*`)") == "working-with-the-cloud-collab"
    assert slug("Measuring the collaboration settings (`edgeapp eval --method NAME`)") == (
        "measuring-the-collaboration-settings-edgeapp-eval---method-name"
    )
    assert slug("In the window: Sent to cloud") == "in-the-window-sent-to-cloud"


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, f"README.md has {len(lines)} lines; move detail to docs/ (at most 300)"


def test_readme_names_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text
    assert "make test" in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_somewhere(page: Path):
    broken = []
    for target in link_targets(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            continue  # http(s), mailto, ...; anchors in the same page
        path_part, _, anchor = target.partition("#")
        resolved = (page.parent / path_part).resolve()
        try:
            key = resolved.relative_to(ROOT).as_posix()
        except ValueError:
            broken.append(f"{target} (outside the repository)")
            continue
        if key in ALLOWED_MISSING and not resolved.exists():
            continue
        if not resolved.exists():
            broken.append(f"{target} (no such file: {key})")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no heading with the anchor #{anchor} in {key})")
    assert not broken, f"{page.relative_to(ROOT)}: broken links:\n  " + "\n  ".join(broken)
