// Which days the figures stand on: days not summarized yet are named, never shown as zero traffic.
import type { Coverage } from "./api";
import { formatDay, formatLongDay } from "./format";

const DAY_MS = 86_400_000;

/** Days as runs of consecutive days: "3 Mar, 5–8 Mar". */
export function dayRuns(days: string[]): string {
  const runs: string[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous && Date.parse(`${day}T00:00:00Z`) - Date.parse(`${previous}T00:00:00Z`) === DAY_MS) {
      run.push(day);
    } else {
      runs.push([day]);
    }
  }
  return runs
    .map((run) => (run.length === 1 ? formatDay(run[0]) : `${formatDay(run[0])}–${formatDay(run[run.length - 1])}`))
    .join(", ");
}

export function dataUpTo(coverage: Coverage): string {
  return coverage.data_up_to === null
    ? "No day has been summarized yet."
    : `Data up to ${formatLongDay(coverage.data_up_to)}.`;
}

/** What a panel's figures leave out, and over which days its comparison runs; "" when nothing. */
export function coverageNote(coverage: Coverage, periodDays: number): string {
  if (coverage.complete) return "";
  const parts: string[] = [];
  if (coverage.missing_days.length > 0) {
    parts.push(`Not summarized yet in this period: ${dayRuns(coverage.missing_days)}.`);
  }
  if (coverage.previous_missing_days.length > 0) {
    parts.push(`Not summarized in the period before: ${dayRuns(coverage.previous_missing_days)}.`);
  }
  parts.push(
    coverage.compared_days === 0
      ? "No day is summarized in both periods: there is no comparison."
      : `Comparison incomplete: ${coverage.compared_days} of ${periodDays} days are summarized in both periods.`,
  );
  return parts.join(" ");
}
