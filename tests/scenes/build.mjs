// Bundles the scenes page (page/main.tsx) with the browser harness's esbuild setup into `outDir` (host.js and
// index.html, served by tests/browser/serve.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildHost } from '../browser/build-host.mjs';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page/main.tsx');

export function buildScenesPage(outDir) {
  return buildHost(outDir, { entry: ENTRY, title: "Rollout Lens · Grafana's dashboard library outside Grafana" });
}
