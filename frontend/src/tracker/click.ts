/** Contract v1 of a click, as the ingest service reads it. */
export interface Click {
  id: string;
  button: string;
  timestamp: string;
  pageUrl: string;
  sessionId: string;
  anonymousId?: string;
  device: Device;
  location: GeoPosition | null;
}

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
