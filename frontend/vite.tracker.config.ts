import { resolve } from "node:path";
import { defineConfig } from "vite";

// The script-tag build: one self-contained IIFE, dist/tracker.js, exposing `window.ClickStream`.
// It runs after the app build, so it must not empty dist/.
export default defineConfig({
  build: {
    emptyOutDir: false,
    lib: {
      entry: resolve(import.meta.dirname, "src/tracker/global.ts"),
      name: "ClickStream",
      formats: ["iife"],
      fileName: () => "tracker.js",
    },
  },
});
