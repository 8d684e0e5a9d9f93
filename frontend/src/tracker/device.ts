import type { Device, GeoPosition } from "./click";

interface NavigatorWithHints extends Navigator {
  userAgentData?: { platform: string };
}

export function describeDevice(): Device {
  const nav = navigator as NavigatorWithHints;
  return {
    userAgent: nav.userAgent,
    // navigator.platform is frozen or deprecated in newer browsers; client hints say it plainly.
    platform: nav.userAgentData?.platform || nav.platform,
    language: nav.language,
    screen: { width: screen.width, height: screen.height },
    viewport: { width: innerWidth, height: innerHeight },
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    webdriver: !!nav.webdriver,
  };
}

/**
 * Asks for the position once (the browser prompts the visitor the first time); every later
 * click reuses it. A refusal or an error simply leaves clicks without a location.
 */
export function requestPosition(onPosition: (position: GeoPosition) => void): void {
  navigator.geolocation?.getCurrentPosition(
    ({ coords }) =>
      onPosition({ latitude: coords.latitude, longitude: coords.longitude, accuracy: coords.accuracy }),
    () => {},
    { maximumAge: 600_000, timeout: 30_000 },
  );
}
