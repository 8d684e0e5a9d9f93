import { describe, expect, it } from "vitest";
import { backoffDelay, retryAfterMs } from "../src/tracker/backoff";

const lowest = () => 0;
const highest = () => 1;

describe("backoffDelay", () => {
  it("doubles with each attempt, half of it random", () => {
    expect(backoffDelay(0, 0, lowest)).toBe(500);
    expect(backoffDelay(0, 0, highest)).toBe(1000);
    expect(backoffDelay(3, 0, lowest)).toBe(4000);
    expect(backoffDelay(3, 0, highest)).toBe(8000);
  });

  it("stops growing at five minutes", () => {
    expect(backoffDelay(30, 0, highest)).toBe(300_000);
    expect(backoffDelay(1000, 0, lowest)).toBe(150_000);
  });

  it("never waits less than the server's Retry-After", () => {
    expect(backoffDelay(0, 7000, lowest)).toBe(7000);
    expect(backoffDelay(0, 7000, highest)).toBe(7500);
    expect(backoffDelay(5, 100, lowest)).toBe(16_000);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds", () => {
    expect(retryAfterMs("3")).toBe(3000);
  });

  it("reads an HTTP date", () => {
    const now = Date.parse("2025-06-01T12:00:00Z");
    expect(retryAfterMs("Sun, 01 Jun 2025 12:00:10 GMT", now)).toBe(10_000);
  });

  it("treats a missing, past or unreadable header as no wait", () => {
    expect(retryAfterMs(null)).toBe(0);
    expect(retryAfterMs("-5")).toBe(0);
    expect(retryAfterMs("soon")).toBe(0);
  });
});
