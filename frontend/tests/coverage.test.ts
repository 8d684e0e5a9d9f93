import { describe, expect, it } from "vitest";
import type { Coverage } from "../src/dashboard/api";
import { coverageNote, dataUpTo, dayRuns } from "../src/dashboard/coverage";

const complete: Coverage = {
  data_up_to: "2026-11-29",
  missing_days: [],
  previous_missing_days: [],
  compared_days: 7,
  complete: true,
};

describe("coverage", () => {
  it("groups consecutive days into runs", () => {
    expect(dayRuns(["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-29", "2026-12-01"])).toBe(
      "25 Nov–27 Nov, 29 Nov, 1 Dec",
    );
  });

  it("says nothing when every day is summarized", () => {
    expect(coverageNote(complete, 7)).toBe("");
  });

  it("names the missing days and how many days the comparison covers", () => {
    const partial = { ...complete, missing_days: ["2026-11-25", "2026-11-26"], compared_days: 5, complete: false };
    expect(coverageNote(partial, 7)).toBe(
      "Not summarized yet in this period: 25 Nov–26 Nov. " +
        "Comparison incomplete: 5 of 7 days are summarized in both periods.",
    );
  });

  it("says there is no comparison when no day is in both periods", () => {
    const none = { ...complete, previous_missing_days: ["2026-11-18"], compared_days: 0, complete: false };
    expect(coverageNote(none, 1)).toBe(
      "Not summarized in the period before: 18 Nov. No day is summarized in both periods: there is no comparison.",
    );
  });

  it("tells how far the data goes", () => {
    expect(dataUpTo(complete)).toBe("Data up to 29 November 2026.");
    expect(dataUpTo({ ...complete, data_up_to: null })).toBe("No day has been summarized yet.");
  });
});
