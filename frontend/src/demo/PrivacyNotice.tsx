import { useClickStream } from "../react";

export function PrivacyNotice() {
  const { tracking, optIn, optOut } = useClickStream();
  return (
    <footer className="privacy">
      <p>
        {tracking
          ? "This page records which buttons and links you click, to improve it."
          : "Click recording is off for this browser."}
      </p>
      {tracking ? (
        <button type="button" className="button" onClick={optOut}>
          Stop recording my clicks
        </button>
      ) : (
        <button type="button" className="button" onClick={optIn}>
          Allow click recording
        </button>
      )}
    </footer>
  );
}
