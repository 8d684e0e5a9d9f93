import { backoffDelay } from "./backoff";
import type { Click } from "./click";
import { QUEUE_KEY, read, write } from "./storage";
import type { SendResult } from "./transport";

export interface QueueOptions {
  send: (batch: Click[]) => Promise<SendResult>;
  beacon: (batch: Click[]) => boolean;
  batchSize: number;
  flushInterval: number;
  maxQueued: number;
}

export interface ClickQueue {
  push(click: Click): void;
  flush(): Promise<void>;
  /** Sends what waits with sendBeacon, for a page being hidden or unloaded. */
  drain(): void;
  /** The connection is back: retry now unless the server asked for a pause. */
  resume(): void;
  /** Settles nothing more: for opt-out and teardown. What waits stays stored. */
  stop(): void;
}

/**
 * Clicks wait in localStorage until the service has them, so a click made offline, or just
 * before the tab closed, is sent on a later page of the same site. Batches leave when
 * `batchSize` clicks wait or after `flushInterval`; failures back off exponentially.
 */
export function createQueue(options: QueueOptions): ClickQueue {
  const { batchSize } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let attempt = 0;
  let backingOff = false;
  let serverAskedToWait = false;
  let stopped = false;

  // Storage is the truth, read on every step: other tabs of the site share the queue.
  const load = () => read<Click[]>(QUEUE_KEY) || [];
  const save = (clicks: Click[]) => write(QUEUE_KEY, clicks.slice(-options.maxQueued));
  const cancelTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const wakeAfter = (ms: number) => {
    timer = setTimeout(() => {
      timer = undefined;
      backingOff = serverAskedToWait = false;
      flush();
    }, ms);
  };

  async function flush(): Promise<void> {
    // Offline: the `online` event resumes. Sending: its end flushes again.
    if (stopped || sending || backingOff || !navigator.onLine) return;
    const batch = load().slice(0, batchSize);
    if (!batch.length) return;
    sending = true;
    const result = await options.send(batch).catch((): SendResult => ({ retryAfter: 0 }));
    sending = false;
    if (stopped) return;
    if (result == "done") {
      attempt = 0;
      const settled = new Set(batch.map((click) => click.id));
      save(load().filter((click) => !settled.has(click.id)));
      return flush();
    }
    if (result.settled) {
      const settled = new Set(result.settled);
      save(load().filter((click) => !settled.has(click.id)));
    }
    cancelTimer();
    backingOff = true;
    serverAskedToWait = result.retryAfter > 0;
    wakeAfter(backoffDelay(attempt++, result.retryAfter));
  }

  return {
    push(click) {
      const waiting = load();
      waiting.push(click);
      save(waiting);
      if (waiting.length >= batchSize) flush();
      else if (!timer) wakeAfter(options.flushInterval);
    },
    flush,
    drain() {
      if (backingOff || !navigator.onLine) return;
      let waiting = load();
      while (waiting.length && options.beacon(waiting.slice(0, batchSize))) waiting = waiting.slice(batchSize);
      save(waiting);
    },
    resume() {
      if (serverAskedToWait) return;
      cancelTimer();
      backingOff = false;
      attempt = 0;
      flush();
    },
    stop() {
      stopped = true;
      cancelTimer();
    },
  };
}
