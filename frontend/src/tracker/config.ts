/** What a site can set when it starts the tracker; every field is optional. */
export interface TrackerOptions {
  /** Base URL of the ingest service; clicks go to `<endpoint>/clicks/batch`. Default: this page's origin. */
  endpoint?: string;
  /** Send as soon as this many clicks wait (1 to 500). Default 10. */
  batchSize?: number;
  /** Send whatever waits after this many milliseconds. Default 5000. */
  flushInterval?: number;
  /** Ask the visitor for their position once and attach it to clicks. Default false. */
  geolocation?: boolean;
  /** Keep a random visitor id in this site's localStorage. Default false. */
  anonymousId?: boolean;
  /** Clicks kept while offline; past it the oldest are dropped. Default 1000. */
  maxQueued?: number;
  /** Record clicks on buttons, links and [data-track] elements by itself. Default true. */
  autoCapture?: boolean;
  /** Record a page view on load and on each single-page-app navigation. Default true. */
  pageViews?: boolean;
}

export interface TrackerConfig {
  url: string;
  batchSize: number;
  flushInterval: number;
  geolocation: boolean;
  anonymousId: boolean;
  maxQueued: number;
  autoCapture: boolean;
  pageViews: boolean;
}

/** The ingest service takes at most this many clicks per request. */
export const MAX_BATCH = 500;

export function resolveConfig(options: TrackerOptions = {}): TrackerConfig {
  const endpoint = (options.endpoint || location.origin).replace(/\/+$/, "");
  return {
    url: endpoint + "/clicks/batch",
    batchSize: Math.min(Math.max(options.batchSize || 10, 1), MAX_BATCH),
    flushInterval: options.flushInterval || 5000,
    geolocation: !!options.geolocation,
    anonymousId: !!options.anonymousId,
    maxQueued: options.maxQueued || 1000,
    autoCapture: options.autoCapture !== false,
    pageViews: options.pageViews !== false,
  };
}
