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
    rollupOptions: {
      output: {
        // Libraries change less often than the app: their own files stay cached across releases.
        manualChunks(id: string) {
          if (!id.includes("/node_modules/")) return undefined;
          if (/\/node_modules\/(react|react-dom|scheduler)\//.test(id)) return "react";
          if (/\/node_modules\/(@apollo|graphql|graphql-ws|rxjs|@wry|optimism|tslib|zen-observable)/.test(id)) return "apollo";
          return "vendor";
        },
      },
    },
  },
});
