// Layout check run inside headless Chromium on a rendered report (see ../report_browser.rs).
// On load it lists every problem a reader would see, one per line, in a <pre> with id
// layout-report ("OK" when there is none):
// - a figure element outside its SVG canvas (clipped text, an interval leaving the figure);
// - a figure shown at less than 90 % of its drawn width (squeezed into a grid cell, its text
//   shrinks below the size it was laid out for);
// - a data mark (in a group of class "data") outside every plot frame (rect of class plot-frame);
// - text wider than its box where the box clips it, or a page wider than the window;
// - a table row with fewer cells than its header, or a column whose every cell is empty;
// - any resource the page loaded, or any attribute pointing at a URL.
window.addEventListener("load", () => {
  const problems = [];
  const tolerance = 1.0;
  const inside = (b, f) =>
    b.x >= f.x - tolerance && b.y >= f.y - tolerance &&
    b.x + b.width <= f.x + f.width + tolerance && b.y + b.height <= f.y + f.height + tolerance;
  // An element's bounding box in its figure's coordinates, after its own transforms (rotated
  // axis titles).
  const box = (svg, el) => {
    const b = el.getBBox();
    const m = svg.getScreenCTM().inverse().multiply(el.getScreenCTM());
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
      .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
    const xs = corners.map((p) => p.x);
    const ys = corners.map((p) => p.y);
    const x = Math.min(...xs);
    const y = Math.min(...ys);
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  };
  const describe = (el) => `${el.tagName} "${(el.textContent || "").trim().slice(0, 40)}"`;

  for (const svg of document.querySelectorAll("figure svg")) {
    const vb = svg.viewBox.baseVal;
    const canvas = { x: vb.x, y: vb.y, width: vb.width, height: vb.height };
    const shown = svg.getBoundingClientRect().width;
    if (shown < 0.9 * vb.width) {
      problems.push(`${svg.id}: shown ${Math.round(shown)} px wide, drawn for ${Math.round(vb.width)} px`);
    }
    for (const el of svg.querySelectorAll("text, line, polyline, polygon, rect, circle, path")) {
      if (!inside(box(svg, el), canvas)) problems.push(`${svg.id}: ${describe(el)} outside the figure`);
    }
    const frames = [...svg.querySelectorAll("rect.plot-frame")].map((r) => box(svg, r));
    for (const el of svg.querySelectorAll("g.data line, g.data polyline, g.data polygon, g.data rect, g.data circle")) {
      const b = box(svg, el);
      if (!frames.some((f) => inside(b, f))) problems.push(`${svg.id}: data ${describe(el)} outside the axes`);
    }
  }

  for (const el of document.querySelectorAll("td, th, p, caption, figcaption, li, h1, h2, label")) {
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== "visible" && overflow !== "auto" && overflow !== "scroll" &&
        el.scrollWidth > el.clientWidth + 1) {
      problems.push(`text clipped: ${describe(el)}`);
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > window.innerWidth + 1) {
    problems.push(`page is ${page.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }

  for (const table of document.querySelectorAll("table")) {
    const header = table.querySelectorAll("thead th");
    if (header.length === 0) continue;
    const rows = [...table.querySelectorAll("tbody tr")];
    if (rows.length === 0) continue;
    rows.forEach((row, i) => {
      if (row.cells.length < header.length) problems.push(`${table.id}: row ${i + 1} has ${row.cells.length} of ${header.length} cells`);
    });
    header.forEach((th, j) => {
      if (rows.every((row) => !row.cells[j] || row.cells[j].textContent.trim() === "")) {
        problems.push(`${table.id}: column "${th.textContent.trim()}" is empty`);
      }
    });
  }

  for (const entry of performance.getEntriesByType("resource")) {
    problems.push(`network request: ${entry.name}`);
  }
  for (const el of document.querySelectorAll("[src], [href]")) {
    const url = el.getAttribute("src") || el.getAttribute("href") || "";
    if (!url.startsWith("#") && !url.startsWith("data:")) problems.push(`${el.tagName} refers to ${url}`);
  }

  const out = document.createElement("pre");
  out.id = "layout-report";
  out.textContent = problems.length ? problems.join("\n") : "OK";
  document.body.appendChild(out);
});
