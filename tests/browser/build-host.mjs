// Bundles the host page (host/host.tsx) with esbuild into one browser script, plus index.html, into `outDir`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HOST_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host');

/** @returns {Promise<{outDir: string, bytes: number, ms: number}>} */
export async function buildHost(outDir) {
  const t0 = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(HOST_DIR, 'host.tsx')],
    outfile: path.join(outDir, 'host.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    jsx: 'transform',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file' },
    assetNames: 'assets/[name]-[hash]',
    publicPath: '/host/',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(HOST_DIR, 'index.html'), path.join(outDir, 'index.html'));
  const cssFile = path.join(outDir, 'host.css');
  if (!fs.existsSync(cssFile)) {
    fs.writeFileSync(cssFile, '');
  }
  return { outDir, bytes: fs.statSync(path.join(outDir, 'host.js')).size, ms: Date.now() - t0 };
}
