import { useEffect, useState, type MouseEvent, type ReactNode } from "react";

// A router of a few lines: pages change with history.pushState and the back button, never
// with a reload, as in any single-page app; the tracker records each page view by itself.
const NAVIGATED = "demo:navigated";

export function navigate(to: string): void {
  history.pushState(null, "", to);
  dispatchEvent(new Event(NAVIGATED));
  if (!to.includes("#")) scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener("popstate", update);
    addEventListener(NAVIGATED, update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener(NAVIGATED, update);
    };
  }, []);
  return path;
}

interface LinkProps {
  to: string;
  className?: string;
  children: ReactNode;
  [data: `data-${string}`]: string;
}

export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // A new tab, or an anchor on this page: the browser's own job.
    if (event.metaKey || event.ctrlKey || event.shiftKey || to.startsWith("#")) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
