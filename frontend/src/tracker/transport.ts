import { retryAfterMs } from "./backoff";
import type { Click } from "./click";

/**
 * `done`: the batch is settled (stored, or refused for good); otherwise retry no sooner than
 * `retryAfter` ms the clicks not in `settled` (all of them when it is absent).
 */
export type SendResult = "done" | { retryAfter: number; settled?: string[] };

interface BatchAnswer {
  rate_limited?: number;
  results?: { status: string }[];
}

// A string body goes as text/plain;charset=UTF-8: a "simple" request, so a tracker on another
// origin needs no CORS preflight, the same as sendBeacon.
const body = (clicks: Click[]) => JSON.stringify({ clicks });

export async function postBatch(url: string, clicks: Click[]): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: body(clicks), credentials: "omit" });
  } catch {
    return { retryAfter: 0 };
  }
  const { status } = response;
  const retryAfter = retryAfterMs(response.headers.get("Retry-After"));
  if (status == 429 || status >= 500) return { retryAfter };
  if (status < 300) {
    // Over the rate limit the service takes the batch only in part: the rest comes back.
    const answer: BatchAnswer = await response.json().catch(() => ({}));
    const results = answer.results || [];
    if (answer.rate_limited) {
      return { retryAfter, settled: clicks.filter((_, i) => results[i]?.status != "rate_limited").map((c) => c.id) };
    }
  }
  if (status >= 300) {
    // Sending the same batch again would be refused again: drop it rather than retry forever.
    console.warn(`ClickStream: the ingest service refused ${clicks.length} clicks (HTTP ${status}); dropped them`);
  }
  return "done";
}

/** Hands the batch to the browser to send even as the page unloads; false if it would not take it. */
export function beaconBatch(url: string, clicks: Click[]): boolean {
  try {
    return navigator.sendBeacon(url, body(clicks));
  } catch {
    return false;
  }
}
