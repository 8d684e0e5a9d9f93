import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ClickStreamProvider } from "../react";
import { App } from "./App";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    {/* Unset at build time: clicks go to the service that served this page. A build for a
        CDN sets VITE_CLICKSTREAM_ENDPOINT to the ingest service's URL. */}
    <ClickStreamProvider
      options={{
        endpoint: import.meta.env.VITE_CLICKSTREAM_ENDPOINT || undefined,
        geolocation: true,
        anonymousId: true,
      }}
    >
      <App />
    </ClickStreamProvider>
  </StrictMode>,
);
