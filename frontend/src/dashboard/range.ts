// The chosen date range: whole UTC days, kept in the page's URL so a view can be shared.

export interface DateRange {
  start: string;
  end: string;
}

export const DEFAULT_DAYS = 30;
// The server's cap: a year and a leap day.
export const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || isoDay(date) !== text ? null : date;
}

/** The last complete day: today is still being collected and is not summarised yet. */
export function lastCompleteDay(now: Date = new Date()): string {
  return isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - DAY_MS));
}

export function lastDays(days: number, now: Date = new Date()): DateRange {
  const end = lastCompleteDay(now);
  const start = isoDay(new Date(Date.parse(`${end}T00:00:00Z`) - (days - 1) * DAY_MS));
  return { start, end };
}

export function daysIn(range: DateRange): number {
  return Math.round((Date.parse(range.end) - Date.parse(range.start)) / DAY_MS) + 1;
}

/** Why a range cannot be shown, or null when it can. */
export function rangeProblem(start: string, end: string): string | null {
  const first = parseDay(start);
  const last = parseDay(end);
  if (!first || !last) return "Pick both a first and a last day.";
  if (first > last) return "The first day must not be after the last day.";
  if (daysIn({ start, end }) > MAX_DAYS) return `Pick at most ${MAX_DAYS} days at a time.`;
  return null;
}

export function rangeFromUrl(search: string): DateRange {
  const params = new URLSearchParams(search);
  const start = params.get("start") ?? "";
  const end = params.get("end") ?? "";
  return rangeProblem(start, end) === null ? { start, end } : lastDays(DEFAULT_DAYS);
}

export function rememberRange(range: DateRange): void {
  const url = new URL(window.location.href);
  url.searchParams.set("start", range.start);
  url.searchParams.set("end", range.end);
  window.history.replaceState(null, "", url);
}
