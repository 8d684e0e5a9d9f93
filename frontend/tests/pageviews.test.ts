import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTracker, type Click, type ClickStream } from "../src/tracker";
import { settle, setOnline } from "./helpers";

let fetchMock: ReturnType<typeof vi.fn>;
let tracker: ClickStream | undefined;

const sent = (): Click[] =>
  fetchMock.mock.calls.flatMap(([, init]) => (JSON.parse((init as RequestInit).body as string) as { clicks: Click[] }).clicks);
const views = () => sent().filter((event) => event.type == "pageview");

function start(): ClickStream {
  tracker = createTracker({ endpoint: "https://collect.example/", batchSize: 1 });
  return tracker;
}

function cameFrom(referrer: string): void {
  Object.defineProperty(document, "referrer", { configurable: true, get: () => referrer });
}

beforeEach(() => {
  localStorage.clear();
  setOnline(true);
  history.replaceState(null, "", "/");
  cameFrom("");
  document.body.innerHTML = `<button data-track-plan="pro" data-track-name="Choose" data-track-billing-cycle="yearly">Pro</button>`;
  fetchMock = vi.fn(async () => new Response("{}", { status: 202 }));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  tracker?.destroy();
  tracker = undefined;
});

describe("page views", () => {
  it("are recorded once per view: on load and on each navigation to another path", async () => {
    start();
    history.pushState(null, "", "/pricing");
    history.replaceState({ scroll: 1 }, "", "/pricing"); // the same view, its state updated
    history.pushState(null, "", "/pricing?plan=pro#faq"); // the same page, filtered
    history.replaceState(null, "", "/signup"); // a redirect
    history.pushState(null, "", "/checkout");
    // Back: the browser moves to the previous entry without pushState, then fires popstate.
    History.prototype.replaceState.call(history, null, "", "/signup");
    dispatchEvent(new PopStateEvent("popstate"));
    await settle();

    expect(views().map((view) => new URL(view.pageUrl).pathname)).toEqual([
      "/",
      "/pricing",
      "/signup",
      "/checkout",
      "/signup",
    ]);
    expect(views().every((view) => view.button === undefined)).toBe(true);
  });

  it("stop with the tracker, and can be turned off", async () => {
    start().destroy();
    history.pushState(null, "", "/after");
    tracker = createTracker({ endpoint: "https://collect.example/", batchSize: 1, pageViews: false });
    history.pushState(null, "", "/later");
    await settle();
    // The first tracker's view may be sent again by the second (same id, stored once).
    expect(new Set(views().map((view) => view.id)).size).toBe(1);
  });
});

describe("the session's source", () => {
  it("comes from its landing page and stays with every event of the session", async () => {
    history.replaceState(null, "", "/?utm_source=newsletter&utm_medium=email&utm_campaign=winter&other=1");
    cameFrom("https://mail.example.com/inbox/42?token=secret");
    start();
    history.pushState(null, "", "/pricing");
    tracker!.track("Buy");
    await settle();

    expect(sent()).toHaveLength(3);
    for (const event of sent()) {
      expect(event).toMatchObject({
        referrer: "https://mail.example.com",
        utmSource: "newsletter",
        utmMedium: "email",
        utmCampaign: "winter",
      });
      expect(event.utmTerm).toBeUndefined();
    }
  });

  it("leaves out the site's own pages and non-web referrers", async () => {
    cameFrom(location.origin + "/earlier");
    start();
    await settle();
    tracker!.destroy();
    localStorage.clear();
    cameFrom("android-app://com.example.mail/");
    start();
    await settle();
    expect(sent().map((event) => event.referrer)).toEqual([undefined, undefined]);
  });

  it("is taken again when a new session starts after 30 idle minutes", async () => {
    vi.useFakeTimers();
    try {
      history.replaceState(null, "", "/?utm_source=ads");
      start();
      vi.advanceTimersByTime(31 * 60 * 1000);
      history.pushState(null, "", "/next?utm_source=newsletter");
      await vi.runOnlyPendingTimersAsync();
    } finally {
      vi.useRealTimers();
    }
    const [first, second] = views();
    expect([first.utmSource, second.utmSource]).toEqual(["ads", "newsletter"]);
    expect(first.sessionId).not.toBe(second.sessionId);
  });
});

describe("properties", () => {
  it("come from the element's data-track-* attributes", async () => {
    start();
    document.querySelector("button")!.click();
    await settle();
    const [click] = sent().filter((event) => event.type === undefined);
    expect(click).toMatchObject({ button: "Choose", properties: { plan: "pro", billingCycle: "yearly" } });
  });

  it("are passed to track() and kept within the service's limits", async () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`key${i}`, i]));
    start().track("Checkout", { ...many, key0: "v".repeat(300), ["k".repeat(70)]: true });
    await settle();
    const [tracked] = sent().filter((event) => event.button == "Checkout");
    expect(Object.keys(tracked.properties!)).toHaveLength(20);
    expect(tracked.properties!.key0).toHaveLength(200);
    expect(tracked.properties!.key1).toBe("1");
  });
});
