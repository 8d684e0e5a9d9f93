// How figures read on the page: thousands separators, shares and trends in percent.

const integer = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
const signedPercent = new Intl.NumberFormat("en-US", {
  style: "percent",
  maximumFractionDigits: 1,
  signDisplay: "exceptZero",
});

export function formatCount(value: number): string {
  return integer.format(value);
}

export function formatShare(value: number): string {
  return percent.format(value);
}

export type Trend = "up" | "down" | "flat" | "new";

export function trendOf(change: number | null, clicks: number): Trend {
  if (change === null) return clicks > 0 ? "new" : "flat";
  if (Math.abs(change) < 0.0005) return "flat";
  return change > 0 ? "up" : "down";
}

export function formatChange(change: number | null, clicks: number): string {
  const trend = trendOf(change, clicks);
  if (trend === "new") return "new";
  if (change === null || trend === "flat") return "no change";
  return `${trend === "up" ? "▲" : "▼"} ${signedPercent.format(change)}`;
}

export function relativeChange(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const longDay = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDay(isoDay: string): string {
  return dayLabel.format(new Date(`${isoDay}T00:00:00Z`));
}

export function formatLongDay(isoDay: string): string {
  return longDay.format(new Date(`${isoDay}T00:00:00Z`));
}

export function formatClock(isoMoment: string): string {
  return clock.format(new Date(isoMoment));
}
