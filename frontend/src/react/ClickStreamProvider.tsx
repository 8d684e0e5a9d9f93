import { createContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createTracker, type ClickStream, type TrackerOptions } from "../tracker";

export interface ClickStreamApi {
  track(name: string, properties?: Record<string, unknown>): void;
  optOut(): void;
  optIn(): void;
  /** False when the visitor opted out or their browser sends Do Not Track / Global Privacy Control. */
  tracking: boolean;
}

export const ClickStreamContext = createContext<ClickStreamApi | null>(null);

interface ProviderProps {
  options?: TrackerOptions;
  children: ReactNode;
}

/** Starts one tracker for the app (in the browser only) and stops it when unmounted. */
export function ClickStreamProvider({ options, children }: ProviderProps) {
  const [tracker, setTracker] = useState<ClickStream | null>(null);
  const [tracking, setTracking] = useState(false);
  // Callers usually write the options inline: compare them by value, not by identity.
  const optionsKey = JSON.stringify(options ?? {});

  useEffect(() => {
    const started = createTracker(JSON.parse(optionsKey) as TrackerOptions);
    setTracker(started);
    setTracking(started.isTracking());
    return () => started.destroy();
  }, [optionsKey]);

  const api = useMemo<ClickStreamApi>(
    () => ({
      track: (name, properties) => tracker?.track(name, properties),
      optOut: () => {
        tracker?.optOut();
        setTracking(false);
      },
      optIn: () => {
        tracker?.optIn();
        setTracking(!!tracker?.isTracking());
      },
      tracking,
    }),
    [tracker, tracking],
  );

  return <ClickStreamContext.Provider value={api}>{children}</ClickStreamContext.Provider>;
}
