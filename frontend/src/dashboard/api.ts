// The dashboard API's answers, as the server's OpenAPI schema describes them.

export interface Period {
  start: string;
  end: string;
}

export interface Coverage {
  data_up_to: string | null;
  missing_days: string[];
  previous_missing_days: string[];
  compared_days: number;
  complete: boolean;
}

/** What every figure of a date range answers besides its numbers. */
export interface RangeFigures {
  period: Period;
  previous: Period;
  coverage: Coverage;
}

export interface DayClicks {
  day: string;
  clicks: number;
  summarized: boolean;
  previous_day: string;
  previous_clicks: number;
  previous_summarized: boolean;
}

export interface DailyClicks extends RangeFigures {
  total: number;
  previous_total: number;
  compared_total: number;
  compared_previous_total: number;
  days: DayClicks[];
}

export interface HourlyClicks extends RangeFigures {
  hours: { hour: number; clicks: number; previous_clicks: number }[];
}

export interface RankedRow {
  name: string;
  clicks: number;
  share: number;
  previous_clicks: number;
  change: number | null;
}

export interface Ranking extends RangeFigures {
  total: number;
  previous_total: number;
  rows: RankedRow[];
}

export interface LiveClicks {
  as_of: string;
  last_5_minutes: number;
  last_15_minutes: number;
  last_60_minutes: number;
  per_minute: { minute: string; clicks: number }[];
  // When today's clicks reach the lake and the other panels, e.g. "after the day closes, at 00:30 UTC".
  lake_schedule: string;
}

export interface Reader {
  signed_in: boolean;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

// Relative to the page (/dashboard), so the dashboard also works under a path prefix.
const API = "api/dashboard/";

export function apiUrl(path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return API + path + (query ? `?${query}` : "");
}

export async function getJson<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const response = await fetch(apiUrl(path, params), {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (response.status === 401) {
    // The token cookie expired or was revoked: the page itself now shows the sign-in form.
    window.location.reload();
  }
  if (!response.ok) {
    throw new ApiError(await problemDetail(response), response.status);
  }
  return (await response.json()) as T;
}

async function problemDetail(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: string; title?: string };
    return problem.detail ?? problem.title ?? `HTTP ${response.status}`;
  } catch {
    return `the server answered HTTP ${response.status}`;
  }
}

export interface SessionRow {
  part: "period" | "previous";
  start: string;
  end: string;
  sessions: number;
  median_duration_s: number | null;
  bounce_rate: number | null;
  page_views_per_session: number | null;
}

export interface Rows<T> extends RangeFigures {
  rows: T[];
}

export interface SourceRow {
  source: string;
  medium: string;
  campaign: string;
  sessions: number;
  share: number;
  page_views: number;
  clicks: number;
  previous_sessions: number;
  change: number | null;
}

export interface PathRow {
  from_page: string;
  to_page: string;
  transitions: number;
  share: number;
}

export interface FunnelStepRow {
  funnel: string;
  step: number;
  label: string;
  sessions: number;
  conversion: number | null;
  from_previous: number | null;
}

export interface FunnelFigures extends Rows<FunnelStepRow> {
  error: string | null;
}

export interface RetentionCell {
  cohort_week: string;
  week_offset: number;
  visitors: number;
  share: number;
}
