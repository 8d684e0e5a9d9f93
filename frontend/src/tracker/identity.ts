import { landingAttribution } from "./attribution";
import type { Attribution } from "./click";
import { ANONYMOUS_ID_KEY, SESSION_KEY, read, write } from "./storage";

const SESSION_IDLE_MS = 30 * 60 * 1000;

/** A random UUID; crypto.randomUUID exists only on https and localhost pages. */
export function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (digit) =>
    (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (+digit / 4)))).toString(16),
  );
}

export interface Session {
  id: string;
  lastSeen: number;
  /** Taken from the page the session started on, and sent with every event of it. */
  from: Attribution;
}

/** The current session; a visit starts a new session after 30 idle minutes. */
export function currentSession(now = Date.now()): Session {
  const saved = read<Session>(SESSION_KEY);
  const session =
    saved && now - saved.lastSeen < SESSION_IDLE_MS
      ? { ...saved, lastSeen: now }
      : { id: uuid(), lastSeen: now, from: landingAttribution() };
  write(SESSION_KEY, session);
  return session;
}

/** A random id for this browser, kept in first-party storage until the visitor opts out. */
export function anonymousId(): string {
  let id = read<string>(ANONYMOUS_ID_KEY);
  if (!id) write(ANONYMOUS_ID_KEY, (id = uuid()));
  return id;
}
