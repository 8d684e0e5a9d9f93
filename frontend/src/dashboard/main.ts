// The dashboard page: a date range, and every figure for it fetched from the dashboard API.
import "./dashboard.css";
import { apiUrl, getJson, type DailyClicks, type HourlyClicks, type Ranking, type RangeFigures, type Reader } from "./api";
import { barChart, doughnutChart, lineChart } from "./charts";
import { coverageNote, dataUpTo } from "./coverage";
import { formatChange, formatCount, formatDay, formatLongDay, relativeChange, trendOf } from "./format";
import { showJourneys } from "./journeys";
import { startLivePanel } from "./live";
import { Panel } from "./panel";
import { type DateRange, lastCompleteDay, lastDays, rangeFromUrl, rangeProblem, rememberRange } from "./range";
import { renderRanking } from "./tables";

type Params = Record<string, string>;

// The parameters of the range on show: answers for an earlier range are dropped.
let shown: Params = {};

function describe(range: DateRange): string {
  return `${formatLongDay(range.start)} to ${formatLongDay(range.end)}`;
}

function noClicks(figures: RangeFigures): string {
  const nightly = "Summaries are built each night for the day before: pick an earlier range, or check the pipeline's runs.";
  if (figures.coverage.missing_days.length === daysOf(figures.period)) {
    return `None of the days from ${describe(figures.period)} has been summarized yet. ${dataUpTo(figures.coverage)} ${nightly}`;
  }
  return `No clicks were summarised from ${describe(figures.period)}. ${nightly}`;
}

function daysOf(period: DateRange): number {
  return (Date.parse(`${period.end}T00:00:00Z`) - Date.parse(`${period.start}T00:00:00Z`)) / 86_400_000 + 1;
}

/** Fetches one figure for the panel, showing what is going on while it does. */
async function load<T extends RangeFigures>(
  panel: Panel,
  path: string,
  params: Params,
  show: (figures: T) => boolean,
): Promise<void> {
  // The range these figures are for: a panel may add its own parameters (a limit).
  const range = shown;
  panel.show("loading", "Loading…");
  panel.note("");
  panel.linkCsv(apiUrl(`${path}.csv`, params));
  try {
    const figures = await getJson<T>(path, params);
    if (range !== shown) return;
    panel.note(coverageNote(figures.coverage, daysOf(figures.period)));
    if (show(figures)) panel.show("ready");
    else panel.show("empty", noClicks(figures));
  } catch (error) {
    if (range !== shown) return;
    panel.show("error", `These figures could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function setText(id: string, text: string, className = ""): void {
  const element = document.getElementById(id);
  if (!element) return;
  element.textContent = text;
  element.className = className;
}

function showDaily(panel: Panel, params: Params): Promise<void> {
  return load<DailyClicks>(panel, "clicks/daily", params, (daily) => {
    // Only days summarized in both periods are compared; with none, there is no change to show.
    const { compared_days: compared, complete } = daily.coverage;
    const change = relativeChange(daily.compared_total, daily.compared_previous_total);
    setText("daily-total", formatCount(daily.total));
    setText("daily-previous", formatCount(daily.previous_total));
    if (compared === 0) setText("daily-change", "no comparison", "trend flat");
    else setText("daily-change", formatChange(change, daily.compared_total), `trend ${trendOf(change, daily.compared_total)}`);
    setText("daily-change-over", complete ? "" : `over ${compared} of ${daily.days.length} days`);
    setText("data-up-to", dataUpTo(daily.coverage));
    // A day not summarized yet is a gap in its line and a starred label, not a zero.
    lineChart(
      panel.part("canvas"),
      daily.days.map((d) => formatDay(d.day) + (d.summarized && d.previous_summarized ? "" : " *")),
      [
        {
          label: `This period (${describe(daily.period)})`,
          values: daily.days.map((d) => (d.summarized ? d.clicks : null)),
        },
        {
          label: `Previous period (${describe(daily.previous)})`,
          values: daily.days.map((d) => (d.previous_summarized ? d.previous_clicks : null)),
          previous: true,
        },
      ],
    );
    return daily.total > 0;
  });
}

function showHourly(panel: Panel, params: Params): Promise<void> {
  return load<HourlyClicks>(panel, "clicks/hourly", params, (hourly) => {
    barChart(
      panel.part("canvas"),
      hourly.hours.map((h) => `${String(h.hour).padStart(2, "0")}:00`),
      [
        { label: "This period", values: hourly.hours.map((h) => h.clicks) },
        { label: "Previous period", values: hourly.hours.map((h) => h.previous_clicks), previous: true },
      ],
    );
    return hourly.hours.some((h) => h.clicks > 0);
  });
}

function showTable(id: string, path: string, heading: string, params: Params): Promise<void> {
  const panel = new Panel(id);
  return load<Ranking>(panel, path, params, (ranking) => {
    renderRanking(panel.part("table"), ranking, heading);
    const canvas = panel.element.querySelector<HTMLCanvasElement>("canvas");
    if (canvas) {
      const top = ranking.rows.slice(0, 8);
      barChart(canvas, top.map((r) => r.name), [{ label: "Clicks", values: top.map((r) => r.clicks) }], true);
    }
    return ranking.total > 0;
  });
}

function showShares(id: string, path: string, params: Params): Promise<void> {
  const panel = new Panel(id);
  return load<Ranking>(panel, path, params, (ranking) => {
    doughnutChart(
      panel.part("canvas"),
      ranking.rows.map((r) => r.name),
      ranking.rows.map((r) => r.clicks),
    );
    return ranking.total > 0;
  });
}

function showRange(range: DateRange): void {
  const params: Params = { start: range.start, end: range.end };
  shown = params;
  void Promise.all([
    showDaily(new Panel("daily"), params),
    showHourly(new Panel("hourly"), params),
    showTable("buttons", "buttons", "Button", params),
    showTable("pages", "pages", "Page", params),
    showShares("device-types", "devices/types", params),
    showShares("browsers", "devices/browsers", params),
    showShares("operating-systems", "devices/operating-systems", params),
    showTable("countries", "geo/countries", "Country", params),
    showTable("regions", "geo/regions", "Region", params),
    ...showJourneys(load, params),
  ]);
}

function startRangeForm(initial: DateRange): void {
  const form = document.getElementById("range") as HTMLFormElement;
  const start = form.elements.namedItem("start") as HTMLInputElement;
  const end = form.elements.namedItem("end") as HTMLInputElement;
  const error = document.getElementById("range-error") as HTMLElement;
  start.max = end.max = lastCompleteDay();
  start.value = initial.start;
  end.value = initial.end;

  function apply(range: DateRange): void {
    const problem = rangeProblem(range.start, range.end);
    error.hidden = problem === null;
    error.textContent = problem ?? "";
    if (problem !== null) return;
    rememberRange(range);
    showRange(range);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply({ start: start.value, end: end.value });
  });
  for (const preset of form.querySelectorAll<HTMLButtonElement>("button[data-days]")) {
    preset.addEventListener("click", () => {
      const range = lastDays(Number(preset.dataset.days));
      start.value = range.start;
      end.value = range.end;
      apply(range);
    });
  }
  apply(initial);
}

/** "Sign out" only for a browser that signed in; a reader on this machine needs no token. */
async function showSignOut(): Promise<void> {
  const reader = await getJson<Reader>("reader");
  const signOut = document.getElementById("sign-out");
  if (signOut) signOut.hidden = !reader.signed_in;
}

startRangeForm(rangeFromUrl(window.location.search));
startLivePanel();
void showSignOut();
