import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTracker, type Click, type ClickStream } from "../src/tracker";
import { ANONYMOUS_ID_KEY, OPT_OUT_KEY, QUEUE_KEY, SESSION_KEY } from "../src/tracker/storage";
import { setOnline, settle } from "./helpers";

let fetchMock: ReturnType<typeof vi.fn>;
let tracker: ClickStream | undefined;

const sentClicks = (): Click[] =>
  fetchMock.mock.calls.flatMap(([, init]) => (JSON.parse((init as RequestInit).body as string) as { clicks: Click[] }).clicks);

function start(options = {}): ClickStream {
  // Page views have their own tests (pageviews.test.ts): here only clicks are sent.
  tracker = createTracker({ endpoint: "https://collect.example/", batchSize: 1, pageViews: false, ...options });
  return tracker;
}

beforeEach(() => {
  localStorage.clear();
  setOnline(true);
  document.body.innerHTML = `<button id="buy">Buy now</button>`;
  fetchMock = vi.fn(async () => new Response("{}", { status: 202 }));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  tracker?.destroy();
  tracker = undefined;
});

describe("a recorded click", () => {
  it("carries the contract's fields", async () => {
    start({ anonymousId: true });
    document.getElementById("buy")!.click();
    await settle();

    expect(fetchMock.mock.calls[0][0]).toBe("https://collect.example/clicks/batch");
    const [click] = sentClicks();
    expect(click).toMatchObject({ button: "Buy now", pageUrl: location.href, location: null });
    expect(click.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(click.timestamp).toISOString()).toBe(click.timestamp);
    expect(click.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(click.anonymousId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(click.device).sort()).toEqual(
      ["language", "platform", "screen", "timeZone", "userAgent", "viewport", "webdriver"].sort(),
    );
  });

  it("keeps one session id across clicks and gives each click its own id", async () => {
    start().track("first");
    tracker!.track("second");
    await settle();
    const [first, second] = sentClicks();
    expect(first.sessionId).toBe(second.sessionId);
    expect(first.id).not.toBe(second.id);
    expect(first.anonymousId).toBeUndefined();
  });

  it("starts a new session after 30 idle minutes", async () => {
    vi.useFakeTimers();
    start().track("before");
    vi.advanceTimersByTime(31 * 60 * 1000);
    tracker!.track("after");
    await vi.advanceTimersByTimeAsync(0);
    vi.useRealTimers();
    const [before, after] = sentClicks();
    expect(after.sessionId).not.toBe(before.sessionId);
  });

  it("attaches the position asked for once at start", async () => {
    const getCurrentPosition = vi.fn((found: PositionCallback) =>
      found({ coords: { latitude: 48.8566, longitude: 2.3522, accuracy: 20 } } as GeolocationPosition),
    );
    vi.spyOn(navigator, "geolocation", "get").mockReturnValue({ getCurrentPosition } as unknown as Geolocation);
    start({ geolocation: true }).track("one");
    tracker!.track("two");
    await settle();

    expect(getCurrentPosition).toHaveBeenCalledTimes(1);
    expect(sentClicks().map((click) => click.location)).toEqual([
      { latitude: 48.8566, longitude: 2.3522, accuracy: 20 },
      { latitude: 48.8566, longitude: 2.3522, accuracy: 20 },
    ]);
  });
});

describe("privacy", () => {
  it("opting out stops recording and forgets the stored ids and queue", async () => {
    setOnline(false);
    start({ anonymousId: true }).track("queued while offline");
    expect(localStorage.getItem(QUEUE_KEY)).not.toBeNull();

    tracker!.optOut();
    document.getElementById("buy")!.click();
    tracker!.track("after opting out");
    setOnline(true);
    await settle();

    expect(tracker!.isTracking()).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
    for (const key of [QUEUE_KEY, SESSION_KEY, ANONYMOUS_ID_KEY]) expect(localStorage.getItem(key)).toBeNull();
  });

  it("the opt-out holds for later page loads until the visitor opts in", async () => {
    start().optOut();
    tracker!.destroy();
    start().track("ignored");
    expect(tracker!.isTracking()).toBe(false);

    tracker!.optIn();
    tracker!.track("counted");
    await settle();

    expect(localStorage.getItem(OPT_OUT_KEY)).toBeNull();
    expect(sentClicks().map((click) => click.button)).toEqual(["counted"]);
  });

  it.each([
    ["Do Not Track", "doNotTrack", "1"],
    ["Global Privacy Control", "globalPrivacyControl", true],
  ])("records nothing and stores nothing under %s", async (_signal, property, value) => {
    Object.defineProperty(navigator, property, { configurable: true, get: () => value });
    try {
      start({ anonymousId: true });
      document.getElementById("buy")!.click();
      await settle();

      expect(tracker!.isTracking()).toBe(false);
      expect(fetchMock).not.toHaveBeenCalled();
      expect(localStorage.length).toBe(0);
    } finally {
      delete (navigator as unknown as Record<string, unknown>)[property];
    }
  });
});

describe("the host page is never disturbed", () => {
  it("survives storage that throws and a fetch that throws synchronously", async () => {
    vi.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new DOMException("denied", "SecurityError");
    });
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    vi.stubGlobal(
      "fetch",
      vi.fn(() => {
        throw new Error("blocked by an extension");
      }),
    );

    expect(() => start()).not.toThrow();
    expect(() => document.getElementById("buy")!.click()).not.toThrow();
    expect(() => tracker!.track("manual")).not.toThrow();
    expect(() => tracker!.optOut()).not.toThrow();
    await settle();
  });

  it("an unexpected name type does not throw", () => {
    expect(() => start().track(undefined as unknown as string)).not.toThrow();
  });
});
