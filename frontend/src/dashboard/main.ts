// The dashboard page: a date range, and every figure for it fetched from the dashboard API.
import "./dashboard.css";
import { apiUrl, getJson, type DailyClicks, type HourlyClicks, type Ranking } from "./api";
import { barChart, doughnutChart, lineChart } from "./charts";
import { formatChange, formatCount, formatDay, formatLongDay, relativeChange, trendOf } from "./format";
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

function noClicks(range: DateRange): string {
  return (
    `No clicks were summarised from ${describe(range)}. ` +
    "Summaries are built each night for the day before: pick an earlier range, or check the pipeline's runs."
  );
}

/** Fetches one figure for the panel, showing what is going on while it does. */
async function load<T>(panel: Panel, path: string, params: Params, show: (figures: T) => boolean): Promise<void> {
  panel.show("loading", "Loading…");
  panel.linkCsv(apiUrl(`${path}.csv`, params));
  try {
    const figures = await getJson<T>(path, params);
    if (params !== shown) return;
    if (show(figures)) panel.show("ready");
    else panel.show("empty", noClicks({ start: params.start, end: params.end }));
  } catch (error) {
    if (params !== shown) return;
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
    const change = relativeChange(daily.total, daily.previous_total);
    setText("daily-total", formatCount(daily.total));
    setText("daily-previous", formatCount(daily.previous_total));
    setText("daily-change", formatChange(change, daily.total), `trend ${trendOf(change, daily.total)}`);
    lineChart(
      panel.part("canvas"),
      daily.days.map((d) => formatDay(d.day)),
      [
        { label: `This period (${describe(daily.period)})`, values: daily.days.map((d) => d.clicks) },
        {
          label: `Previous period (${describe(daily.previous)})`,
          values: daily.days.map((d) => d.previous_clicks),
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

startRangeForm(rangeFromUrl(window.location.search));
startLivePanel();
