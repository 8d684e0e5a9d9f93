// The ranked tables: each value with its clicks, its share of all clicks, and its trend.
import type { Ranking } from "./api";
import { formatChange, formatCount, formatShare, trendOf } from "./format";

export function cell(tag: "td" | "th", text: string, className = ""): HTMLElement {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

export function renderRanking(table: HTMLTableElement, ranking: Ranking, nameHeading: string): void {
  const head = document.createElement("thead");
  const headings = document.createElement("tr");
  for (const [text, className] of [
    [nameHeading, "name"],
    ["Clicks", "number"],
    ["Share", "share"],
    ["Trend", "number"],
  ]) {
    const th = cell("th", text, className);
    th.setAttribute("scope", "col");
    headings.append(th);
  }
  head.append(headings);

  const body = document.createElement("tbody");
  for (const row of ranking.rows) {
    const tr = document.createElement("tr");
    const name = cell("th", row.name, "name");
    name.setAttribute("scope", "row");
    const share = cell("td", "", "share");
    // A CSSOM width, not a style attribute: the page's CSP allows no inline styles.
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${Math.round(row.share * 100)}%`;
    bar.setAttribute("aria-hidden", "true");
    share.append(formatShare(row.share), bar);
    const trend = cell("td", formatChange(row.change, row.clicks), `number trend ${trendOf(row.change, row.clicks)}`);
    trend.title = `${formatCount(row.previous_clicks)} clicks in the previous period`;
    tr.append(name, cell("td", formatCount(row.clicks), "number"), share, trend);
    body.append(tr);
  }
  table.replaceChildren(head, body);
}
