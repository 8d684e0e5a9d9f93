// The live panel: today's last hour from the click store, refreshed every 10 seconds.
import { getJson, type LiveClicks } from "./api";
import { lineChart } from "./charts";
import { formatClock, formatCount } from "./format";
import { Panel } from "./panel";

export const REFRESH_MS = 10_000;

export function startLivePanel(): void {
  const panel = new Panel("live");
  const canvas = panel.part<HTMLCanvasElement>("canvas");
  const updated = document.getElementById("live-updated");
  let timer: number | undefined;
  let inFlight = false;

  async function refresh(): Promise<void> {
    if (inFlight) return;
    inFlight = true;
    window.clearTimeout(timer);
    try {
      const live = await getJson<LiveClicks>("live");
      setText("live-5", formatCount(live.last_5_minutes));
      setText("live-15", formatCount(live.last_15_minutes));
      setText("live-60", formatCount(live.last_60_minutes));
      lineChart(
        canvas,
        live.per_minute.map((point) => formatClock(point.minute)),
        [{ label: "Clicks per minute", values: live.per_minute.map((point) => point.clicks) }],
      );
      if (updated) updated.textContent = `Updated ${formatClock(live.as_of)} UTC, every 10 seconds`;
      setText(
        "live-lake",
        `Today's clicks are counted here, from the click store. They reach the lake and the panels below ${live.lake_schedule}.`,
      );
      panel.show(
        live.last_60_minutes > 0 ? "ready" : "empty",
        "No clicks in the last hour. The figures update by themselves as clicks arrive.",
      );
    } catch (error) {
      panel.show("error", `Live figures are unavailable right now (${String(error)}); retrying.`);
    } finally {
      inFlight = false;
      // No polling while the tab is hidden; it resumes at once when shown again.
      if (!document.hidden) timer = window.setTimeout(() => void refresh(), REFRESH_MS);
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) void refresh();
  });
  void refresh();
}

function setText(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}
