import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web UI. `npm run build:web` writes dist/web, which the server serves with an SPA fallback.
 * Dev: `npx vite --config src/web/vite.config.ts` (API calls go to the server on :3000).
 */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // antd + React are one shared chunk of ~1 MB (≈330 kB gzip); every page is its own lazy chunk.
    chunkSizeWarningLimit: 1400,
  },
  server: {
    proxy: { '/api': { target: process.env.LIAISON_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
