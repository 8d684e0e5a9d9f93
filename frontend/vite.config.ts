import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { defineConfig } from "vite";

// The ingest service serves dist/ at "/"; relative asset URLs also keep it working under a prefix.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: {
    rolldownOptions: {
      // One entry per page: another page (the dashboard) is one more line here.
      input: {
        main: resolve(import.meta.dirname, "index.html"),
        dashboard: resolve(import.meta.dirname, "dashboard.html"),
        "dashboard-login": resolve(import.meta.dirname, "dashboard-login.html"),
      },
    },
  },
  server: {
    // `npm run dev` next to `clickstream serve` on its default port.
    proxy: { "/clicks": "http://127.0.0.1:8000", "/api": "http://127.0.0.1:8000" },
  },
});
