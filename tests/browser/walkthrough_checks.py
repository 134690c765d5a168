"""Checks the walk-through runs on every page: axe-core, and on a phone the layout papercuts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.paths import ROOT

# Installed by `make test` (npm ci into .test-tools from tools/test-tools/package-lock.json);
# never shipped with the app.
AXE = ROOT / ".test-tools" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""

# Words (4+ Latin letters) drawn on more than one line: broken mid-word ("Standard|ised").
BROKEN_WORDS = """() => {
  const broken = [];
  const main = document.querySelector("main") || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest("svg, .visually-hidden, option, script, style")) continue;
    for (const match of node.data.matchAll(/[A-Za-z]{4,}/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
        .map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""

# Boxes that scroll sideways (a column hidden where the keyboard may not reach it).
SIDEWAYS = """() => [...document.querySelectorAll("body *")].filter((el) => {
  const style = getComputedStyle(el);
  return ["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
}).map((el) => el.tagName + "." + el.className)"""

# Elements reaching past the right edge of the window (the page would scroll sideways).
TOO_WIDE = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 5).map((el) => `${el.tagName}.${el.className} ${el.getBoundingClientRect().width}`)"""

# The rendered size in CSS pixels of every text in a chart.
CHART_TEXT_PX = """() => [...document.querySelectorAll("svg text")]
  .filter((t) => t.textContent.trim())
  .map((t) => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  })"""


def axe_available() -> Path:
    """The axe-core script, or skip with the reason when `make test` could not install it."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `make test` (it installs axe-core with npm)")
    return AXE


def check_page(page: Any, where: str, phone: bool) -> None:
    """axe-core: no serious or critical violation; on a phone, the layout checks too."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    assert not violations, f"{where}: {violations}"
    if not phone:
        return
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"{where}: words broken mid-word: {broken}"
    sideways = page.evaluate(SIDEWAYS)
    assert not sideways, f"{where}: boxes scroll sideways: {sideways}"
    wide = page.evaluate(TOO_WIDE)
    assert not wide, f"{where}: the page scrolls sideways: {wide}"
    if page.locator("header.site-header").count():
        header = page.locator("header.site-header").bounding_box()
        assert header is not None and header["height"] <= 80, f"{where}: header {header}"
    small = [px for px in page.evaluate(CHART_TEXT_PX) if px < 11]
    assert not small, f"{where}: chart text of {min(small):.1f} px"
