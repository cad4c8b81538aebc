import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStamp, STAMP_FILE, staleReason, writeStamp } from '../../scripts/build-stamp.mjs';
import { startTestApp, type TestApp } from '../support/harness.js';

/** A project tree with the build's inputs and outputs, in a temporary directory. */
function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-stamp-'));
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  put('package.json', '{}');
  put('tsconfig.json', '{}');
  put('src/server/main.ts', 'console.log(1);');
  put('src/web/App.tsx', 'export {};');
  put('src/web/App.test.tsx', 'test');
  put('dist/web/index.html', '<html></html>');
  put('dist/server/main.js', '');
  return root;
}

describe('npm start builds only when the build is stale (scripts/build-stamp.mjs)', () => {
  it('is current right after a build and stale after a source, a config or the lock file changes', () => {
    const root = project();
    expect(staleReason(root, computeStamp(root).hash)).toBe('no build stamp');
    writeStamp(root, computeStamp(root).hash);
    expect(fs.existsSync(path.join(root, STAMP_FILE))).toBe(true);
    expect(staleReason(root, computeStamp(root).hash)).toBeNull();

    for (const [rel, text] of [
      ['src/server/main.ts', 'console.log(2);'],
      ['src/web/New.tsx', 'export {};'],
      ['tsconfig.json', '{"x":1}'],
      ['package-lock.json', '{}'],
    ] as const) {
      fs.writeFileSync(path.join(root, rel), text);
      expect(staleReason(root, computeStamp(root).hash), rel).toBe('sources changed since the last build');
      writeStamp(root, computeStamp(root).hash);
    }
    fs.rmSync(path.join(root, 'src/web/New.tsx'));
    expect(staleReason(root, computeStamp(root).hash)).toBe('sources changed since the last build');
    fs.rmSync(root, { recursive: true });
  });

  it('ignores tests, and builds whenever an output is missing', () => {
    const root = project();
    writeStamp(root, computeStamp(root).hash);
    fs.writeFileSync(path.join(root, 'src/web/App.test.tsx'), 'changed test');
    expect(staleReason(root, computeStamp(root).hash)).toBeNull();
    fs.rmSync(path.join(root, 'dist/server/main.js'));
    expect(staleReason(root, computeStamp(root).hash)).toBe('dist/server/main.js is missing');
    fs.rmSync(root, { recursive: true });
  });
});

describe('the web UI is served compressed, assets cached under their hashed names', () => {
  let t: TestApp;
  let web: string;
  const js = `console.log(${JSON.stringify('工作联络'.repeat(500))});`;
  beforeAll(async () => {
    web = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-web-'));
    fs.mkdirSync(path.join(web, 'assets'));
    const html = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head></html>';
    fs.writeFileSync(path.join(web, 'index.html'), html);
    fs.writeFileSync(path.join(web, 'index.html.br'), zlib.brotliCompressSync(html));
    fs.writeFileSync(path.join(web, 'assets/index-Ab12Cd34.js'), js);
    fs.writeFileSync(path.join(web, 'assets/index-Ab12Cd34.js.br'), zlib.brotliCompressSync(js));
    fs.writeFileSync(path.join(web, 'assets/index-Ab12Cd34.js.gz'), zlib.gzipSync(js));
    t = await startTestApp({ webDist: web });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(web, { recursive: true });
  });

  it('sends the precompressed file the browser accepts, and caches hashed assets for a year', async () => {
    const br = await t.app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(js);

    const gz = await t.app.inject({ url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(js);

    const plain = await t.app.inject({ url: '/assets/index-Ab12Cd34.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(js);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates index.html on every load, at / and on the SPA fallback', async () => {
    for (const url of ['/', '/index.html', '/cases/12']) {
      const res = await t.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
    }
    const api = await t.app.inject({ url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
  });
});
