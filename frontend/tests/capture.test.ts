import { afterEach, describe, expect, it, vi } from "vitest";
import { captureClicks, elementName, trackedElement } from "../src/tracker/capture";

function render(html: string): void {
  document.body.innerHTML = html;
}

const byId = (id: string) => document.getElementById(id)!;

afterEach(() => {
  document.body.innerHTML = "";
});

describe("elementName", () => {
  it("prefers data-track, then data-track-name, then aria-label, then the text", () => {
    render(`
      <button id="a" data-track="signup-hero" aria-label="Sign up">Join</button>
      <button id="b" data-track-name="pricing-pro" aria-label="Pro plan">Choose</button>
      <button id="c" aria-label="Close dialog">×</button>
      <button id="d">Buy   now</button>`);
    expect(elementName(byId("a"))).toBe("signup-hero");
    expect(elementName(byId("b"))).toBe("pricing-pro");
    expect(elementName(byId("c"))).toBe("Close dialog");
    expect(elementName(byId("d"))).toBe("Buy now");
  });

  it("collapses whitespace across nested elements and trims", () => {
    render(`<a id="link" href="#">
        <span>Read</span>
        <strong>the   docs</strong>
      </a>`);
    expect(elementName(byId("link"))).toBe("Read the docs");
  });

  it("caps long labels at 200 characters", () => {
    render(`<button id="long">${"word ".repeat(100)}</button>`);
    expect(elementName(byId("long"))).toHaveLength(200);
  });

  it("uses an input button's value and falls back to the tag name", () => {
    render(`<input id="submit" type="submit" value="Send form"><a id="empty" href="#"><img alt=""></a>`);
    expect(elementName(byId("submit"))).toBe("Send form");
    expect(elementName(byId("empty"))).toBe("a");
  });

  it("ignores an empty data-track marker and names the element by its text", () => {
    render(`<div id="card" data-track>Pro plan</div>`);
    expect(elementName(byId("card"))).toBe("Pro plan");
  });
});

describe("trackedElement", () => {
  it("walks up from an icon to its button", () => {
    render(`<button id="save"><span><svg><path id="icon"></path></svg></span> Save</button>`);
    expect(trackedElement(byId("icon"))).toBe(byId("save"));
  });

  it("takes the closest tracked element", () => {
    render(`<a id="outer" href="#"><span id="inner" data-track="badge">New</span></a>`);
    expect(trackedElement(byId("inner"))).toBe(byId("inner"));
  });

  it("gives up beyond a bounded number of ancestors", () => {
    render(`<button id="far">${"<div>".repeat(12)}<i id="deep"></i>${"</div>".repeat(12)}</button>`);
    expect(trackedElement(byId("deep"))).toBeNull();
  });

  it("ignores clicks on plain content", () => {
    render(`<p id="text">Just text</p>`);
    expect(trackedElement(byId("text"))).toBeNull();
  });
});

describe("captureClicks", () => {
  it("reports clicks with one capture-phase listener, even when the page stops propagation", () => {
    render(`<button id="buy">Buy</button><p id="plain">text</p>`);
    byId("buy").addEventListener("click", (event) => event.stopPropagation());
    const onClick = vi.fn();
    const stop = captureClicks(onClick);

    byId("buy").click();
    byId("plain").click();
    stop();
    byId("buy").click();

    expect(onClick.mock.calls).toEqual([["Buy", undefined]]);
  });
});
