import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes a .br and a .gz next to every text asset of the build, once, so the server sends them
 * without compressing on each request (@fastify/static `preCompressed`). Small files are left alone:
 * compression would not pay for the extra header.
 */
export function precompress(minBytes = 1024): Plugin {
  return {
    name: 'liaison-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir as string;
      const walk = (d: string): string[] =>
        fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
      for (const file of walk(dir)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|map)$/.test(file)) continue;
        const body = fs.readFileSync(file);
        if (body.length < minBytes) continue;
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      }
    },
  };
}

/**
 * The web UI. `npm run build:web` writes dist/web, which the server serves with an SPA fallback:
 * files under /assets/ carry a content hash in their names (Vite's default) and are cached for a
 * year, index.html is revalidated on every load (src/server/app.ts).
 * Dev: `npx vite --config src/web/vite.config.ts` (API calls go to the server on :3000).
 */
export default defineConfig({
  root,
  plugins: [react(), precompress()],
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
