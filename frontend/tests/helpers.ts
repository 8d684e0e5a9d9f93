import type { Click } from "../src/tracker";

export function makeClick(button: string): Click {
  return {
    id: crypto.randomUUID(),
    button,
    timestamp: new Date().toISOString(),
    pageUrl: "https://shop.example/",
    sessionId: "session-1",
    device: {
      userAgent: "test",
      platform: "Linux",
      language: "en",
      screen: { width: 1920, height: 1080 },
      viewport: { width: 1280, height: 720 },
      timeZone: "UTC",
      webdriver: false,
    },
    location: null,
  };
}

/** navigator.onLine as the test wants it, with the event the browser would fire. */
export function setOnline(online: boolean): void {
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => online });
  window.dispatchEvent(new Event(online ? "online" : "offline"));
}

/** Lets pending promise callbacks run, as the event loop would between timers. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
