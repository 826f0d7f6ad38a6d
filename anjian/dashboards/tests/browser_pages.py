"""Instruments the browser tests of pages share: what a test reads from a page, never what a page runs."""

from __future__ import annotations

# Every Leaflet map a page creates is kept in window.__leafletMaps (through Leaflet's public Map.addInitHook, hooked
# as leaflet.js defines window.L), so that the test can find where a point is drawn on a canvas, which has no element
# to hover, and read the map's zoom and layers.
KEEP_LEAFLET_MAPS = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      window.__leafletMaps = [];
      value.Map.addInitHook(function () { window.__leafletMaps.push(this); });
    },
  });
})();
"""

# What does not fit the window at its present width, as sentences naming the elements (empty: all is well):
# 1. the document scrolls sideways (a box that scrolls or clips on its own, a table-responsive, a map, is fine);
# 2. elements side by side in the header, the page title, the tabs or a row of badges lie over each other (a count
#    pinned on its icon, absolutely positioned, is meant to);
# 3. a badge, button or tab cuts its own words off (a badge shrunk in a flex row clips them);
# 4. a title, button, tab, badge or table cell is squeezed to fewer than 3.5 characters a line (Chinese breaks
#    between any two characters, so a crowded table wraps a place's name as 金诚游/艺厅).
PAGE_PROBLEMS = """
() => {
  const problems = [];
  const width = window.innerWidth;
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const name = (node) => {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const classes = [...el.classList].slice(0, 3).map((c) => "." + c).join("");
    const text = (node.textContent || "").replace(/\\s+/g, " ").trim().slice(0, 24);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}${text ? ` "${text}"` : ""}`;
  };
  const contained = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") { return true; }
    }
    return false;
  };

  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth > width) {
    const wide = [...document.body.querySelectorAll("*")].filter(
      (el) => shown(el) && el.getBoundingClientRect().right > width + 0.5 && !contained(el));
    const outermost = wide.filter((el) => !wide.some((other) => other !== el && other.contains(el)));
    problems.push(`the page is ${scrollWidth} px wide: ${outermost.slice(0, 4).map(name).join("; ")}`);
  }

  const boxes = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.textContent.trim()) { return []; }
      const range = document.createRange();
      range.selectNodeContents(node);
      return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    }
    if (node.nodeType !== Node.ELEMENT_NODE || !shown(node)) { return []; }
    const position = getComputedStyle(node).position;
    return position === "absolute" || position === "fixed" ? [] : [...node.getClientRects()];
  };
  const cross = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const rows = new Set(document.querySelectorAll(
    "header .container-xl, header .navbar-nav, header .nav-item, .page-header .row, .page-header .col,"
    + " .page-header .col-auto, .page-header .btn-list, .page-title, .page-pretitle, .nav-tabs"));
  document.querySelectorAll(".badge").forEach((badge) => {
    if (badge.parentElement) { rows.add(badge.parentElement); }
  });
  rows.forEach((row) => {
    if (!shown(row)) { return; }
    const parts = [...row.childNodes].map((node) => [node, boxes(node)]).filter(([, b]) => b.length);
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        if (parts[i][1].some((a) => parts[j][1].some((b) => cross(a, b)))) {
          problems.push(`${name(parts[i][0])} overlaps ${name(parts[j][0])} in ${name(row)}`);
        }
      }
    }
  });

  document.querySelectorAll(".page-wrapper .badge, .page-wrapper .btn, .page-wrapper .nav-link").forEach((el) => {
    if (shown(el) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} is cut off (${el.scrollWidth} px of text in ${el.clientWidth} px)`);
    }
  });

  document.querySelectorAll(
    ".page-wrapper .page-title, .page-wrapper .card-title, .page-wrapper .btn, .page-wrapper .badge,"
    + " .page-wrapper .nav-link, .page-wrapper th, .page-wrapper td"
  ).forEach((el) => {
    if (!shown(el)) { return; }
    // The text shown: not a label hidden for screen readers in a 1 px box.
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const rects = [];
    let characters = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\\s+/g, "");
      if (!text || node.parentElement.getBoundingClientRect().width <= 2 || !shown(node.parentElement)) { continue; }
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...range.getClientRects());
      characters += text.length;
    }
    if (characters < 4) { return; }
    // Lines: fragments whose heights overlap sit on one line (a dot beside a word is not a line of its own).
    const lines = [];
    rects.filter((r) => r.width > 0).sort((a, b) => a.top - b.top).forEach((r) => {
      const last = lines[lines.length - 1];
      if (last && r.top < last.bottom - 2) { last.bottom = Math.max(last.bottom, r.bottom); }
      else { lines.push({ top: r.top, bottom: r.bottom }); }
    });
    if (lines.length > 1 && characters / lines.length < 3.5) {
      problems.push(`${name(el)} is squeezed to ${lines.length} lines`);
    }
  });
  return problems;
}
"""


def problems_at(page, widths, *, height: int = 900, shots=None) -> list[str]:
    """The page's problems at each width (PAGE_PROBLEMS), measured from the narrowest up without reloading. With
    ``shots`` (a path without its ending), the window is saved as ``<shots>-<width>.png`` where a problem shows."""
    found = []
    for width in sorted(widths):
        page.set_viewport_size({"width": width, "height": height})
        problems = page.evaluate(PAGE_PROBLEMS)
        found.extend(f"at {width} px: {problem}" for problem in problems)
        if problems and shots is not None:
            page.screenshot(path=f"{shots}-{width}.png")
    return found
