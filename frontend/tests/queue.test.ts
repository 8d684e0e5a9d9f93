import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Click } from "../src/tracker";
import { createQueue, type QueueOptions } from "../src/tracker/queue";
import { QUEUE_KEY } from "../src/tracker/storage";
import type { SendResult } from "../src/tracker/transport";
import { makeClick, setOnline } from "./helpers";

function queueWith(send: (batch: Click[]) => Promise<SendResult>, overrides: Partial<QueueOptions> = {}) {
  const options = { send: vi.fn(send), beacon: vi.fn((_batch: Click[]) => true), batchSize: 3, flushInterval: 5000, maxQueued: 10 };
  Object.assign(options, overrides);
  return { queue: createQueue(options), ...options };
}

const stored = (): Click[] => JSON.parse(localStorage.getItem(QUEUE_KEY) ?? "[]");
const names = (clicks: Click[]) => clicks.map((click) => click.button);
const accepted = async (): Promise<SendResult> => "done";

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  setOnline(true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("batching", () => {
  it("sends as soon as batchSize clicks wait", async () => {
    const { queue, send } = queueWith(accepted);
    queue.push(makeClick("a"));
    queue.push(makeClick("b"));
    expect(send).not.toHaveBeenCalled();

    queue.push(makeClick("c"));
    await vi.advanceTimersByTimeAsync(0);

    expect(send).toHaveBeenCalledTimes(1);
    expect(names(send.mock.calls[0][0])).toEqual(["a", "b", "c"]);
    expect(stored()).toEqual([]);
  });

  it("sends a smaller batch once flushInterval has passed", async () => {
    const { queue, send } = queueWith(accepted);
    queue.push(makeClick("a"));
    await vi.advanceTimersByTimeAsync(4999);
    expect(send).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(1);
    expect(names(send.mock.calls[0][0])).toEqual(["a"]);
  });

  it("keeps clicks made while a batch is in flight and sends them next", async () => {
    let release: (result: SendResult) => void = () => {};
    const { queue, send } = queueWith(() => new Promise((resolve) => (release = resolve)));
    ["a", "b", "c"].forEach((name) => queue.push(makeClick(name)));
    queue.push(makeClick("d"));

    release("done");
    await vi.advanceTimersByTimeAsync(0);

    expect(send).toHaveBeenCalledTimes(2);
    expect(names(send.mock.calls[1][0])).toEqual(["d"]);
  });
});

describe("retries", () => {
  it("backs off exponentially on failure and keeps the clicks until they are sent", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const results: SendResult[] = [{ retryAfter: 0 }, { retryAfter: 0 }, "done"];
    const { queue, send } = queueWith(async () => results.shift()!);
    queue.push(makeClick("a"));
    await queue.flush();
    expect(names(stored())).toEqual(["a"]);

    await vi.advanceTimersByTimeAsync(499);
    expect(send).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(send).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(send).toHaveBeenCalledTimes(3);
    expect(stored()).toEqual([]);
  });

  it("waits at least the server's Retry-After, whatever else happens meanwhile", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const results: SendResult[] = [{ retryAfter: 3000 }, "done", "done"];
    const { queue, send } = queueWith(async () => results.shift()!);
    queue.push(makeClick("a"));
    await queue.flush();

    ["b", "c", "d"].forEach((name) => queue.push(makeClick(name)));
    setOnline(true);
    queue.resume();
    await vi.advanceTimersByTimeAsync(2999);
    expect(send).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(send.mock.calls.map(([batch]) => names(batch))).toEqual([["a"], ["a", "b", "c"], ["d"]]);
  });

  it("keeps the clicks a partial answer left out, and sends them after the wait", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const results: SendResult[] = [];
    const { queue, send } = queueWith(async () => results.shift() || "done", { batchSize: 10 });
    ["a", "b", "c"].forEach((name) => queue.push(makeClick(name)));
    const [a, b] = stored();
    results.push({ retryAfter: 2000, settled: [a.id, b.id] });
    await queue.flush();
    expect(names(stored())).toEqual(["c"]);

    await vi.advanceTimersByTimeAsync(2000);
    expect(send.mock.calls.map(([batch]) => names(batch))).toEqual([["a", "b", "c"], ["c"]]);
    expect(stored()).toEqual([]);
  });

  it("a send that throws counts as a failure, not a crash", async () => {
    const { queue } = queueWith(() => Promise.reject(new Error("boom")));
    queue.push(makeClick("a"));
    await expect(queue.flush()).resolves.toBeUndefined();
    expect(names(stored())).toEqual(["a"]);
  });
});

describe("offline", () => {
  it("keeps clicks in localStorage while offline and sends them when resumed", async () => {
    const { queue, send } = queueWith(accepted);
    setOnline(false);
    ["a", "b", "c", "d"].forEach((name) => queue.push(makeClick(name)));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(send).not.toHaveBeenCalled();
    expect(names(stored())).toEqual(["a", "b", "c", "d"]);

    setOnline(true);
    queue.resume();
    await vi.advanceTimersByTimeAsync(0);

    expect(send.mock.calls.map(([batch]) => names(batch))).toEqual([["a", "b", "c"], ["d"]]);
    expect(stored()).toEqual([]);
  });

  it("keeps only the newest maxQueued clicks", async () => {
    const { queue } = queueWith(accepted, { maxQueued: 4, batchSize: 100 });
    setOnline(false);
    ["a", "b", "c", "d", "e", "f"].forEach((name) => queue.push(makeClick(name)));
    expect(names(stored())).toEqual(["c", "d", "e", "f"]);
  });

  it("a new page sends what an earlier one left behind", async () => {
    const left = [makeClick("left behind")];
    localStorage.setItem(QUEUE_KEY, JSON.stringify(left));
    const { queue, send } = queueWith(accepted);
    await queue.flush();
    expect(send).toHaveBeenCalledWith(left);
  });
});

describe("drain", () => {
  it("beacons every waiting click in batches when the page is hidden", () => {
    const { queue, beacon } = queueWith(accepted, { batchSize: 2 });
    setOnline(false);
    ["a", "b", "c"].forEach((name) => queue.push(makeClick(name)));
    setOnline(true);

    queue.drain();

    expect(beacon.mock.calls.map(([batch]) => names(batch))).toEqual([["a", "b"], ["c"]]);
    expect(stored()).toEqual([]);
  });

  it("keeps what the browser would not take, for the next page", () => {
    const { queue } = queueWith(accepted, { beacon: vi.fn(() => false) });
    setOnline(false);
    queue.push(makeClick("a"));
    setOnline(true);
    queue.drain();
    expect(names(stored())).toEqual(["a"]);
  });
});
