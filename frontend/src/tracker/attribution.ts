import type { Attribution, Properties } from "./click";

const CAMPAIGN = ["Source", "Medium", "Campaign", "Term", "Content"] as const;
/** The service's limits: past them it refuses the whole event, so the tracker cuts first. */
const MAX_VALUE = 200;
const MAX_KEY = 64;
const MAX_PROPERTIES = 20;

/**
 * The landing page's campaign parameters (`utm_*`) and, when the visitor came from another
 * site over http(s), that site's origin: nothing of its path, which can be personal.
 */
export function landingAttribution(): Attribution {
  const found: Record<string, string> = {};
  const params = new URLSearchParams(location.search);
  for (const name of CAMPAIGN) {
    const value = params.get("utm_" + name.toLowerCase());
    if (value) found["utm" + name] = value.slice(0, MAX_VALUE);
  }
  const referrer = /^https?:/.test(document.referrer) && new URL(document.referrer);
  if (referrer && referrer.host != location.host) found.referrer = referrer.origin;
  return found;
}

/** At most 20 properties, keys and values as strings within the service's limits. */
export function properties(given?: Record<string, unknown>): Properties | undefined {
  if (!given) return;
  const kept: Properties = {};
  for (const [key, value] of Object.entries(given).slice(0, MAX_PROPERTIES)) {
    if (key) kept[key.slice(0, MAX_KEY)] = String(value).slice(0, MAX_VALUE);
  }
  return kept;
}
