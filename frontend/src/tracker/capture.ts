import type { Properties } from "./click";
import { safe } from "./safe";

const TRACKED =
  "a,button,[data-track],[data-track-name],[role=button],input[type=button],input[type=submit],input[type=reset]";
/** Ancestors looked at above the clicked node: enough for an icon inside a button inside a card. */
const MAX_DEPTH = 8;
export const MAX_NAME_LENGTH = 200;

/** The tracked element a click landed on or inside of, if there is one close enough. */
export function trackedElement(target: EventTarget | null): Element | null {
  let element = target instanceof Element ? target : null;
  for (let depth = 0; element && depth <= MAX_DEPTH; depth++) {
    if (element.matches(TRACKED)) return element;
    element = element.parentElement;
  }
  return null;
}

/** What a person would call the element: its data-track name, its aria-label, or its text. */
export function elementName(element: Element): string {
  const attribute = (name: string) => element.getAttribute(name);
  const label =
    attribute("data-track") ||
    attribute("data-track-name") ||
    attribute("aria-label") ||
    (element instanceof HTMLInputElement ? element.value : element.textContent) ||
    attribute("title") ||
    "";
  return label.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_LENGTH) || element.tagName.toLowerCase();
}

/** The element's `data-track-<key>` attributes (`data-track-name` excepted) as properties. */
export function elementProperties(element: Element): Properties | undefined {
  let found: Properties | undefined;
  for (const [key, value] of Object.entries((element as HTMLElement).dataset || {})) {
    const name = /^track(.)(.*)/.exec(key);
    if (name && key != "trackName") (found ||= {})[name[1].toLowerCase() + name[2]] = value!;
  }
  return found;
}

/**
 * One listener on the document, in the capture phase so a handler that stops propagation
 * cannot hide the click. Returns the function that removes it.
 */
export function captureClicks(onClick: (name: string, properties?: Properties) => void): () => void {
  const listener = safe((event: Event) => {
    const element = trackedElement(event.target);
    if (element) onClick(elementName(element), elementProperties(element));
  });
  document.addEventListener("click", listener, true);
  return () => document.removeEventListener("click", listener, true);
}
