/** Contract v2 of an event (a click, or a page view), as the ingest service reads it. */
export interface Click extends Attribution {
  id: string;
  /** Absent: a click. */
  type?: "pageview";
  /** What was clicked; a page view has none. */
  button?: string;
  timestamp: string;
  pageUrl: string;
  sessionId: string;
  anonymousId?: string;
  device: Device;
  location: GeoPosition | null;
  properties?: Properties;
}

/** Where the session came from: its landing page's referrer (origin only) and campaign. */
export interface Attribution {
  referrer?: string;
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  utmTerm?: string;
  utmContent?: string;
}

export type Properties = Record<string, string>;

export interface Device {
  userAgent: string;
  platform: string;
  language: string;
  screen: Size;
  viewport: Size;
  timeZone: string;
  webdriver: boolean;
}

export interface Size {
  width: number;
  height: number;
}

export interface GeoPosition {
  latitude: number;
  longitude: number;
  accuracy: number;
}
