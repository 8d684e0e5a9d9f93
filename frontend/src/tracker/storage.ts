// localStorage throws in some private modes, sandboxed frames and when full. Every access is
// guarded, and a copy is kept in memory so the tracker still works for this page without it.
const memory = new Map<string, unknown>();

export const QUEUE_KEY = "clickstream.queue";
export const SESSION_KEY = "clickstream.session";
export const ANONYMOUS_ID_KEY = "clickstream.anonymousId";
export const OPT_OUT_KEY = "clickstream.optOut";

export function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw == null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return memory.get(key) as T | undefined;
  }
}

export function write(key: string, value: unknown): void {
  memory.set(key, value);
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Kept in memory only: lost when the page goes, which is all that can be done.
  }
}

export function remove(key: string): void {
  memory.delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing was stored there to remove.
  }
}
