// Entry of the script-tag build (dist/tracker.js), exposed as `window.ClickStream`.
import { createTracker, type ClickStream } from "./client";
import type { TrackerOptions } from "./config";
import { safe } from "./safe";

let running: ClickStream | undefined;

/** Starts the tracker; a page has one, so later calls return the running one. */
export const init = safe((options?: TrackerOptions): ClickStream => (running ||= createTracker(options)));

// <script src=".../tracker.js" data-endpoint="https://collect.example.com"> starts it at once.
// A boolean option is on when its attribute is present.
const dataset = (document.currentScript as HTMLScriptElement | null)?.dataset;
if (dataset?.endpoint != null) {
  init({
    endpoint: dataset.endpoint,
    geolocation: "geolocation" in dataset,
    anonymousId: "anonymousId" in dataset,
    batchSize: Number(dataset.batchSize) || undefined,
    flushInterval: Number(dataset.flushInterval) || undefined,
  });
}
