// Browser checks: Debian's Chromium, driven by playwright-core, opens the host page (tests/browser/host), which
// loads the built dist/ modules through SystemJS the way Grafana does and talks to the Grafana server at
// GRAFANA_URL. Merges its checks into the e2e report and writes one screenshot per check.
//
//   GRAFANA_URL=http://127.0.0.1:<port> ROLLOUT_LENS_RUN_DIR=<test bed run dir> node tests/browser/run.mjs
// Environment:
//   GRAFANA_URL              Grafana server (required); GRAFANA_USER / GRAFANA_PASSWORD (default admin / admin)
//   GRAFANA_IS_STAND_IN      "1" (default): the Grafana server is tests/grafana-stand-in, reported as "real": false
//   ROLLOUT_LENS_RUN_DIR     run directory of the test bed (the expected rollouts are read from it with admin rights)
//   E2E_REPORT               report file (default test-results/e2e-report.json)
//   BROWSER_SCREENSHOT_DIR   default test-results/screenshots
//   BROWSER_HOST_DIR         where the host page is bundled (default test-results/browser-host)
//   CHROMIUM                 default /usr/bin/chromium
//   E2E_ONLY                 regular expression: run only the checks whose id matches
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { KubeClient } from '../e2e/lib/kube.mjs';
import { Report } from '../e2e/lib/report.mjs';
import { buildHost } from './build-host.mjs';
import * as checks from './checks.mjs';
import { startHostServer } from './serve.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const fromRepo = (p) => path.resolve(REPO_ROOT, p);

function readPluginIds() {
  const app = JSON.parse(fs.readFileSync(fromRepo('dist/plugin.json'), 'utf8'));
  const dataSource = JSON.parse(fs.readFileSync(fromRepo('dist/datasource/plugin.json'), 'utf8'));
  return { appId: app.id, dataSourceId: dataSource.id };
}

/** Names inside `define([...], factory)` of a built AMD module. */
function amdDependencies(file) {
  const head = fs.readFileSync(file, 'utf8').slice(0, 4000);
  const match = /define\(\s*(\[[^\]]*\])/.exec(head);
  if (!match) {
    throw new Error(`${file} is not an AMD module`);
  }
  return JSON.parse(match[1]);
}

async function grafanaApi(grafanaUrl, authorization, method, urlPath, body) {
  const res = await fetch(new URL(urlPath, grafanaUrl), {
    method,
    headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

/** The data source the checks use: of our type, preferably pointed at this test bed's API server. */
async function findDataSource(api, dataSourceId, apiServerUrl) {
  const all = await api('GET', '/api/datasources');
  const ours = all.filter((ds) => ds.type === dataSourceId);
  const chosen = ours.find((ds) => ds.jsonData?.apiServerUrl === apiServerUrl) ?? ours[0];
  if (!chosen) {
    throw new Error(`Grafana has no data source of type ${dataSourceId} (it has: ${all.map((d) => d.type).join(', ')})`);
  }
  return chosen;
}

/** Rollouts of the test bed's scenarios (namespaces e2e-*), read with the admin identity: the expected answer. */
async function expectedRollouts(runDir) {
  const admin = KubeClient.fromRunDir(runDir, 'admin');
  try {
    const list = await admin.get('/apis/argoproj.io/v1alpha1/rollouts');
    return list.items
      .filter((r) => r.metadata.namespace.startsWith('e2e-'))
      .map((r) => ({ namespace: r.metadata.namespace, name: r.metadata.name }));
  } finally {
    admin.close();
  }
}

async function main() {
  const grafanaUrl = process.env.GRAFANA_URL;
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  if (!grafanaUrl || !runDir) {
    throw new Error('GRAFANA_URL and ROLLOUT_LENS_RUN_DIR must be set');
  }
  const user = process.env.GRAFANA_USER ?? 'admin';
  const password = process.env.GRAFANA_PASSWORD ?? 'admin';
  const standIn = (process.env.GRAFANA_IS_STAND_IN ?? '1') === '1';
  const reportFile = process.env.E2E_REPORT ?? fromRepo('test-results/e2e-report.json');
  const screenshotDir = process.env.BROWSER_SCREENSHOT_DIR ?? fromRepo('test-results/screenshots');
  const hostDir = process.env.BROWSER_HOST_DIR ?? fromRepo('test-results/browser-host');
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  fs.mkdirSync(screenshotDir, { recursive: true });

  const report = new Report();
  const t0 = Date.now();
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const api = (method, urlPath, body) => grafanaApi(grafanaUrl, authorization, method, urlPath, body);

  let browser;
  let server;
  try {
    const ids = readPluginIds();
    const build = await buildHost(hostDir);
    server = await startHostServer({ grafanaUrl, user, password, bundleDir: hostDir });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    report.addComponent('chromium', browser.version());
    report.addComponent('playwright-core', JSON.parse(fs.readFileSync(fromRepo('node_modules/playwright-core/package.json'), 'utf8')).version);
    const apiServerUrl = fs.readFileSync(path.join(runDir, 'apiserver-url'), 'utf8').trim();
    const dataSource = await findDataSource(api, ids.dataSourceId, apiServerUrl);
    const ctx = {
      browser,
      server,
      api,
      ids,
      dataSource,
      screenshotDir,
      rollouts: await expectedRollouts(runDir),
      amdDependencies: {
        'dist/module.js': amdDependencies(fromRepo('dist/module.js')),
        'dist/datasource/module.js': amdDependencies(fromRepo('dist/datasource/module.js')),
      },
      // Every check says what the Grafana side was.
      grafana: {
        real: !standIn,
        server: standIn ? 'stand-in Grafana server (tests/grafana-stand-in), not Grafana' : 'Grafana',
        ui: 'host page standing in for Grafana UI (tests/browser/host)',
        hostBundle: { bytes: build.bytes, buildMs: build.ms },
      },
    };
    for (const check of checks.ALL) {
      report.register(check.id, check.run);
    }
    await report.runAll(ctx, { concurrency: 1, filter: (id) => !only || only.test(id) });
  } catch (err) {
    // Setup failed: every check is reported as failed, none is silently missing.
    for (const check of checks.ALL.filter((c) => !only || only.test(c.id))) {
      if (!report.checks.some((c) => c.id === check.id)) {
        await report.run(check.id, () => Promise.reject(new Error(`browser harness setup failed: ${err.message}`)), {});
      }
    }
  } finally {
    await browser?.close();
    await server?.close();
  }
  const merged = report.mergeInto(reportFile);
  const { passed, failed } = report.summary;
  console.log(
    `browser: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s; report ${reportFile} (${merged.checks.length} checks)`
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
