import { safe } from "./safe";

type HistoryMethod = "pushState" | "replaceState";

/**
 * Calls `onView` now and after each single-page-app navigation to another path: through
 * `history.pushState`, `replaceState` or the back and forward buttons (`popstate`). A
 * navigation that keeps the path (a query or hash change, a replaceState of the same
 * URL) is the same view, so no view is counted twice. Returns the function that stops it.
 */
export function watchPageViews(onView: () => void): () => void {
  let path: string | undefined;
  const check = safe(() => {
    if (location.pathname != path) {
      path = location.pathname;
      onView();
    }
  });
  const originals = (["pushState", "replaceState"] as HistoryMethod[]).map((method) => {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History[HistoryMethod]>) {
      original.apply(this, args);
      check();
    };
    return () => (history[method] = original);
  });
  addEventListener("popstate", check);
  check();
  return () => {
    originals.forEach((restore) => restore());
    removeEventListener("popstate", check);
  };
}
