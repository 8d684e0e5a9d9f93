// The tracker as a module, for bundlers (the React provider uses it).
export { createTracker, type ClickStream } from "./client";
export type { Click, Device, GeoPosition } from "./click";
export type { TrackerOptions } from "./config";
