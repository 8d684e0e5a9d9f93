import { properties } from "./attribution";
import { captureClicks, MAX_NAME_LENGTH } from "./capture";
import type { Click, GeoPosition } from "./click";
import { resolveConfig, type TrackerOptions } from "./config";
import { describeDevice, requestPosition } from "./device";
import { anonymousId, currentSession, uuid } from "./identity";
import { watchPageViews } from "./pageviews";
import { createQueue, type ClickQueue } from "./queue";
import { safe } from "./safe";
import { ANONYMOUS_ID_KEY, OPT_OUT_KEY, QUEUE_KEY, SESSION_KEY, read, remove, write } from "./storage";
import { beaconBatch, postBatch } from "./transport";

export interface ClickStream {
  /** Records a click (or any named action) by hand, e.g. from a keyboard shortcut, with properties. */
  track(name: string, properties?: Record<string, unknown>): void;
  /** Stops tracking this browser and forgets its ids and waiting clicks. */
  optOut(): void;
  optIn(): void;
  /** True while clicks are recorded: not opted out, no Do Not Track or Global Privacy Control. */
  isTracking(): boolean;
  /** Sends waiting clicks now. */
  flush(): void;
  /** Removes the listeners and timers, e.g. when a React provider unmounts. */
  destroy(): void;
}

interface PrivacySignals {
  doNotTrack?: string | null;
  globalPrivacyControl?: boolean;
}

function visitorDeclined(): boolean {
  const nav = navigator as Navigator & PrivacySignals;
  return nav.doNotTrack == "1" || (window as PrivacySignals).doNotTrack == "1" || nav.globalPrivacyControl == true;
}

export function createTracker(options?: TrackerOptions): ClickStream {
  const config = resolveConfig(options);
  let position: GeoPosition | null = null;
  let queue: ClickQueue | undefined;
  let stopCapture = () => {};
  let stopPageViews = () => {};

  const isTracking = () => !visitorDeclined() && !read(OPT_OUT_KEY);
  const drainIfHidden = safe(() => document.visibilityState == "hidden" && queue?.drain());
  const drain = safe(() => queue?.drain());
  const resume = safe(() => queue?.resume());

  const record = (fields: Partial<Click>) => {
    if (!queue) return;
    const session = currentSession();
    queue.push({
      ...session.from,
      id: uuid(),
      timestamp: new Date().toISOString(),
      pageUrl: location.href,
      sessionId: session.id,
      anonymousId: config.anonymousId ? anonymousId() : undefined,
      device: describeDevice(),
      location: position,
      ...fields,
    });
  };
  const track = safe((name: string, given?: Record<string, unknown>) =>
    record({ button: String(name).slice(0, MAX_NAME_LENGTH), properties: properties(given) }),
  );

  const start = () => {
    if (queue || !isTracking()) return;
    queue = createQueue({
      send: (batch) => postBatch(config.url, batch),
      beacon: (batch) => beaconBatch(config.url, batch),
      ...config,
    });
    if (config.autoCapture) stopCapture = captureClicks(track);
    if (config.pageViews) stopPageViews = watchPageViews(() => record({ type: "pageview" }));
    if (config.geolocation) requestPosition((found) => (position = found));
    addEventListener("pagehide", drain);
    addEventListener("online", resume);
    document.addEventListener("visibilitychange", drainIfHidden);
    // Clicks left by an earlier page (offline, or closed before sending) go now.
    queue.flush();
  };

  const stop = () => {
    queue?.stop();
    queue = undefined;
    stopCapture();
    stopPageViews();
    removeEventListener("pagehide", drain);
    removeEventListener("online", resume);
    document.removeEventListener("visibilitychange", drainIfHidden);
  };

  safe(start)();
  return {
    track,
    optOut: safe(() => {
      stop();
      write(OPT_OUT_KEY, true);
      [QUEUE_KEY, SESSION_KEY, ANONYMOUS_ID_KEY].forEach(remove);
    }),
    optIn: safe(() => {
      remove(OPT_OUT_KEY);
      start();
    }),
    isTracking: () => !!safe(isTracking)(),
    flush: safe(() => queue?.flush()),
    destroy: safe(stop),
  };
}
