// The tracker as a module, for bundlers (the React provider uses it).
export { createTracker, type ClickStream } from "./client";
export type { Attribution, Click, Device, GeoPosition, Properties } from "./click";
export type { TrackerOptions } from "./config";
