const BASE_MS = 1000;
const CAP_MS = 5 * 60 * 1000;

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first retry): doubles from
 * one second up to five minutes, with half of it random so pages that failed together do not
 * all retry together, and never shorter than the server's Retry-After.
 */
export function backoffDelay(attempt: number, retryAfterMs = 0, random = Math.random): number {
  const ceiling = Math.min(BASE_MS * 2 ** attempt, CAP_MS);
  return Math.max(retryAfterMs, ceiling / 2) + (random() * ceiling) / 2;
}

/** Retry-After in milliseconds: the header holds either seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  const ms = isNaN(seconds) ? Date.parse(header) - now : seconds * 1000;
  return ms > 0 ? ms : 0;
}
