import { retryAfterMs } from "./backoff";
import type { Click } from "./click";

/** `done`: the batch is settled (stored, or refused for good); otherwise retry no sooner than `retryAfter` ms. */
export type SendResult = "done" | { retryAfter: number };

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
  if (status == 429 || status >= 500) return { retryAfter: retryAfterMs(response.headers.get("Retry-After")) };
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
