import { describe, expect, it, vi } from "vitest";
import { beaconBatch, postBatch } from "../src/tracker/transport";
import { makeClick } from "./helpers";

const URL = "https://collect.example/clicks/batch";

function answer(status: number, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(status == 202 ? "{}" : null, { status, headers }));
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

describe("postBatch", () => {
  it("posts the clicks as JSON text, which needs no CORS preflight", async () => {
    const fetchMock = answer(202);
    const clicks = [makeClick("Buy")];

    expect(await postBatch(URL, clicks)).toBe("done");

    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(URL);
    expect(init.method).toBe("POST");
    expect(typeof init.body).toBe("string");
    expect(init.headers).toBeUndefined();
    expect(JSON.parse(init.body as string)).toEqual({ clicks });
  });

  it("asks for a retry after the server's Retry-After on 429", async () => {
    answer(429, { "Retry-After": "4" });
    expect(await postBatch(URL, [makeClick("Buy")])).toEqual({ retryAfter: 4000 });
  });

  it("settles only what a rate-limited batch took, and retries the rest after Retry-After", async () => {
    const clicks = [makeClick("a"), makeClick("b"), makeClick("c")];
    const results = [{ status: "stored" }, { status: "rejected" }, { status: "rate_limited" }];
    const body = JSON.stringify({ stored: 1, rejected: 1, rate_limited: 1, results });
    vi.stubGlobal("fetch", vi.fn(async () => new Response(body, { status: 202, headers: { "Retry-After": "30" } })));

    expect(await postBatch(URL, clicks)).toEqual({ retryAfter: 30000, settled: [clicks[0].id, clicks[1].id] });
  });

  it("asks for a retry on a server error and on a network error", async () => {
    answer(503);
    expect(await postBatch(URL, [makeClick("Buy")])).toEqual({ retryAfter: 0 });
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    expect(await postBatch(URL, [makeClick("Buy")])).toEqual({ retryAfter: 0 });
  });

  it("drops a batch the server refuses with a 4xx, with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const status of [400, 413, 415, 422]) {
      answer(status);
      expect(await postBatch(URL, [makeClick("Buy")])).toBe("done");
    }
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn.mock.calls[0][0]).toContain("HTTP 400");
  });
});

describe("beaconBatch", () => {
  it("hands the batch to sendBeacon as JSON text", () => {
    const sendBeacon = vi.fn(() => true);
    vi.stubGlobal("navigator", { sendBeacon });
    const clicks = [makeClick("Leave")];

    expect(beaconBatch(URL, clicks)).toBe(true);
    expect(sendBeacon).toHaveBeenCalledWith(URL, JSON.stringify({ clicks }));
  });

  it("reports false when the browser has no sendBeacon", () => {
    vi.stubGlobal("navigator", {});
    expect(beaconBatch(URL, [makeClick("Leave")])).toBe(false);
  });
});
