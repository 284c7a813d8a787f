// Run by tests/web/a11y.py in the page under test: returns one sentence per violation found.
() => {
  const problems = [];
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""}`;
  const named = (el) => {
    const label = el.getAttribute("aria-label") || "";
    const by = (el.getAttribute("aria-labelledby") || "").split(" ").map((id) => document.getElementById(id)).filter(Boolean);
    const title = el.querySelector(":scope > title");
    return (label + by.map((n) => n.textContent).join("") + (el.textContent || "") + (title ? title.textContent : "") + (el.getAttribute("title") || "")).trim().length > 0;
  };
  if (!document.documentElement.lang) problems.push("the page has no lang");
  if (!document.title.trim()) problems.push("the page has no title");
  const h1s = [...document.querySelectorAll("h1")].filter(visible);
  if (h1s.length !== 1) problems.push(`the page has ${h1s.length} visible h1 headings`);
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id ${id} is used ${n} times`);
  for (const el of document.querySelectorAll("input:not([type=hidden]), textarea, select, meter")) {
    if (!visible(el)) continue;
    const labelled = el.labels && el.labels.length > 0 || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`${describe(el)} has no label`);
  }
  for (const el of document.querySelectorAll("a[href], button")) {
    if (visible(el) && !named(el)) problems.push(`${describe(el)} has no name`);
  }
  for (const el of document.querySelectorAll("[role=img], svg")) {
    if (el.closest("[aria-hidden=true]") || !visible(el)) continue;
    if (el.tagName.toLowerCase() === "svg" && el.parentElement.closest("svg")) continue;
    if (!named(el)) problems.push(`${describe(el)} (a picture) has no accessible name`);
  }
  const rgba = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const el = text.parentElement;
    if (!text.textContent.trim() || seen.has(el) || !visible(el) || el.closest("svg, .visually-hidden, .skip")) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const fg = rgba(style.color);
    if (fg.length === 4 && fg[3] < 1) continue;
    const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) problems.push(`${describe(el)} "${text.textContent.trim().slice(0, 30)}" contrast ${ratio.toFixed(2)} < ${needed}`);
  }
  return problems;
}
