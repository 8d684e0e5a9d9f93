import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClickStreamProvider, useClickStream } from "../src/react";
import { setOnline, settle } from "./helpers";

// Tells React this environment runs act() for its updates.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let fetchMock: ReturnType<typeof vi.fn>;

function PrivacySwitch() {
  const { tracking, optIn, optOut, track } = useClickStream();
  return (
    <>
      <p id="state">{tracking ? "on" : "off"}</p>
      <button id="toggle" onClick={tracking ? optOut : optIn}>
        Toggle
      </button>
      <input id="shortcut" onKeyDown={() => track("Keyboard shortcut")} />
      <button id="buy">Buy</button>
    </>
  );
}

const sentNames = () =>
  fetchMock.mock.calls.flatMap(([, init]) =>
    (JSON.parse((init as RequestInit).body as string) as { clicks: { button: string }[] }).clicks.map(
      (click) => click.button,
    ),
  );

beforeEach(async () => {
  localStorage.clear();
  setOnline(true);
  fetchMock = vi.fn(async () => new Response("{}", { status: 202 }));
  vi.stubGlobal("fetch", fetchMock);
  document.body.innerHTML = `<div id="root"></div>`;
  root = createRoot(document.getElementById("root")!);
  await act(async () =>
    root.render(
      <ClickStreamProvider options={{ batchSize: 1, pageViews: false }}>
        <PrivacySwitch />
      </ClickStreamProvider>,
    ),
  );
});

afterEach(() => {
  act(() => root.unmount());
});

describe("ClickStreamProvider and useClickStream", () => {
  it("records clicks by itself and names tracked by hand", async () => {
    document.getElementById("shortcut")!.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true }));
    await settle();
    document.getElementById("buy")!.click();
    await settle();
    expect(sentNames()).toEqual(["Keyboard shortcut", "Buy"]);
  });

  it("opts out and back in, and says which it is", async () => {
    expect(document.getElementById("state")!.textContent).toBe("on");
    await act(async () => document.getElementById("toggle")!.click());
    expect(document.getElementById("state")!.textContent).toBe("off");
    await act(async () => document.getElementById("toggle")!.click());
    expect(document.getElementById("state")!.textContent).toBe("on");
  });

  it("stops listening when unmounted", async () => {
    act(() => root.unmount());
    document.body.innerHTML = `<button>Left over</button>`;
    document.querySelector("button")!.click();
    await settle();
    expect(fetchMock).not.toHaveBeenCalled();
    root = createRoot(document.body.appendChild(document.createElement("div")));
  });
});
