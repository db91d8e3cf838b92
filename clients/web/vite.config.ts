import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Built into the router's package: `make up` serves it at /app/ without Node.
export default defineConfig({
  base: "/app/",
  plugins: [react()],
  build: {
    outDir: "../../router/http/webapp/site",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
});
