// The journey panels: session figures, traffic sources, top paths, funnels, retention.
import type { FunnelFigures, PathRow, RangeFigures, RetentionCell, Rows, SessionRow, SourceRow } from "./api";
import { formatChange, formatCount, formatDay, formatShare, relativeChange, trendOf } from "./format";
import { Panel } from "./panel";
import { cell } from "./tables";

type Params = Record<string, string>;
export type Loader = <T extends RangeFigures>(
  panel: Panel,
  path: string,
  params: Params,
  show: (figures: T) => boolean,
) => Promise<void>;

function shareCell(share: number | null): HTMLElement {
  const td = cell("td", share === null ? "–" : formatShare(share), "share");
  const bar = document.createElement("span");
  bar.className = "bar";
  // A CSSOM width, not a style attribute: the page's CSP allows no inline styles.
  bar.style.width = `${Math.round((share ?? 0) * 100)}%`;
  bar.setAttribute("aria-hidden", "true");
  td.append(bar);
  return td;
}

function table(element: HTMLTableElement, headings: [string, string][], rows: HTMLElement[][]): void {
  const head = document.createElement("thead");
  const tr = document.createElement("tr");
  for (const [text, className] of headings) {
    const th = cell("th", text, className);
    th.setAttribute("scope", "col");
    tr.append(th);
  }
  head.append(tr);
  const body = document.createElement("tbody");
  for (const cells of rows) {
    const row = document.createElement("tr");
    row.append(...cells);
    body.append(row);
  }
  element.replaceChildren(head, body);
}

function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}

function showSessions(load: Loader, params: Params): Promise<void> {
  const panel = new Panel("sessions");
  return load<Rows<SessionRow>>(panel, "sessions", params, ({ rows: [now, before] }) => {
    const change = relativeChange(now.sessions, before.sessions);
    const figures: [string, string, string][] = [
      ["Sessions", formatCount(now.sessions), formatChange(change, now.sessions)],
      ["Median duration", duration(now.median_duration_s), `was ${duration(before.median_duration_s)}`],
      ["Bounce rate", now.bounce_rate === null ? "–" : formatShare(now.bounce_rate), `was ${before.bounce_rate === null ? "–" : formatShare(before.bounce_rate)}`],
      ["Pages per session", now.page_views_per_session?.toFixed(1) ?? "–", `was ${before.page_views_per_session?.toFixed(1) ?? "–"}`],
    ];
    const list = panel.part<HTMLElement>("dl");
    list.replaceChildren(
      ...figures.flatMap(([name, value, note]) => {
        const term = document.createElement("dt");
        term.textContent = name;
        const detail = document.createElement("dd");
        detail.textContent = value;
        const small = document.createElement("small");
        small.textContent = ` ${note}`;
        small.className = name == "Sessions" ? `trend ${trendOf(change, now.sessions)}` : "";
        detail.append(small);
        return [term, detail];
      }),
    );
    return now.sessions > 0;
  });
}

function showSources(load: Loader, params: Params): Promise<void> {
  const panel = new Panel("sources");
  return load<Rows<SourceRow>>(panel, "sources", params, ({ rows }) => {
    table(
      panel.part("table"),
      [["Source / medium", "name"], ["Campaign", "name"], ["Sessions", "number"], ["Share", "share"], ["Trend", "number"]],
      rows.map((row) => [
        cell("th", `${row.source} / ${row.medium}`, "name"),
        cell("td", row.campaign, "name"),
        cell("td", formatCount(row.sessions), "number"),
        shareCell(row.share),
        cell("td", formatChange(row.change, row.sessions), `number trend ${trendOf(row.change, row.sessions)}`),
      ]),
    );
    return rows.some((row) => row.sessions > 0);
  });
}

function showPaths(load: Loader, params: Params): Promise<void> {
  const panel = new Panel("paths");
  return load<Rows<PathRow>>(panel, "paths", { ...params, limit: "15" }, ({ rows }) => {
    table(
      panel.part("table"),
      [["From", "name"], ["To", "name"], ["Times", "number"], ["Of those leaving", "share"]],
      rows.map((row) => [
        cell("th", row.from_page, "name"),
        cell("td", row.to_page == "(exit)" ? "(left the site)" : row.to_page, "name"),
        cell("td", formatCount(row.transitions), "number"),
        shareCell(row.share),
      ]),
    );
    return rows.length > 0;
  });
}

function showFunnels(load: Loader, params: Params): Promise<void> {
  const panel = new Panel("funnels");
  return load<FunnelFigures>(panel, "funnels", params, (funnels) => {
    const body = panel.part<HTMLElement>(".funnels");
    if (funnels.error) {
      // Shown in place of the figures: what is wrong with the funnel file and where.
      const problem = document.createElement("p");
      problem.className = "config-error";
      problem.textContent = `The funnel file cannot be used: ${funnels.error}`;
      body.replaceChildren(problem);
      return true;
    }
    const names = [...new Set(funnels.rows.map((row) => row.funnel))];
    body.replaceChildren(
      ...names.map((name) => {
        const figure = document.createElement("figure");
        const caption = document.createElement("figcaption");
        caption.textContent = name;
        const steps = document.createElement("table");
        steps.className = "ranking";
        table(
          steps,
          [["Step", "name"], ["Sessions", "number"], ["Conversion", "share"], ["From the step before", "number"]],
          funnels.rows
            .filter((row) => row.funnel == name)
            .map((row) => [
              cell("th", `${row.step}. ${row.label}`, "name"),
              cell("td", formatCount(row.sessions), "number"),
              shareCell(row.conversion),
              cell("td", row.from_previous === null ? "–" : formatShare(row.from_previous), "number"),
            ]),
        );
        figure.append(caption, steps);
        return figure;
      }),
    );
    return funnels.rows.some((row) => row.sessions > 0);
  });
}

function showRetention(load: Loader, params: Params): Promise<void> {
  const panel = new Panel("retention");
  return load<Rows<RetentionCell>>(panel, "retention", params, ({ rows }) => {
    const weeks = Math.max(0, ...rows.map((row) => row.week_offset)) + 1;
    const cohorts = [...new Set(rows.map((row) => row.cohort_week))];
    const at = new Map(rows.map((row) => [`${row.cohort_week} ${row.week_offset}`, row]));
    table(
      panel.part("table"),
      [["First seen (week of)", "name"], ...Array.from({ length: weeks }, (_, w): [string, string] => [`Week ${w}`, "number"])],
      cohorts.map((cohort) => [
        cell("th", formatDay(cohort), "name"),
        ...Array.from({ length: weeks }, (_, w) => {
          const found = at.get(`${cohort} ${w}`);
          const td = cell("td", found ? formatShare(found.share) : "", "number retention");
          if (found) {
            td.title = `${formatCount(found.visitors)} visitors`;
            td.style.backgroundColor = `rgba(37, 99, 235, ${(0.1 + 0.8 * found.share).toFixed(2)})`;
          }
          return td;
        }),
      ]),
    );
    return rows.length > 0;
  });
}

/** Loads every journey panel for the range. */
export function showJourneys(load: Loader, params: Params): Promise<void>[] {
  return [
    showSessions(load, params),
    showSources(load, params),
    showPaths(load, params),
    showFunnels(load, params),
    showRetention(load, params),
  ];
}
