// Browser checks: Debian's Chromium, driven by playwright-core, opens the host page (tests/browser/host), which
// loads the built dist/ modules through SystemJS the way Grafana does and talks to the Grafana server at
// GRAFANA_URL. Merges its checks into the e2e report and writes one screenshot per check.
//
//   GRAFANA_URL=http://127.0.0.1:<port> ROLLOUT_LENS_RUN_DIR=<test bed run dir> node tests/browser/run.mjs
// Environment:
//   GRAFANA_URL              Grafana server (required); GRAFANA_USER (default admin), GRAFANA_PASSWORD (default: the
//                            run directory's grafana-admin-password, written by tests/grafana-stand-in/start.sh)
//   BROWSER_DATASOURCE_UID   data source the query checks use (default argo-rollouts-in-cluster, provisioned from
//                            provisioning/examples/ by tests/e2e/grafana-setup.mjs); the config check creates its own
//   GRAFANA_IS_STAND_IN      "1" (default): the Grafana server is tests/grafana-stand-in ("against" names
//                            grafana-stand-in); "0": a real Grafana server ("against" names grafana)
//   ROLLOUT_LENS_RUN_DIR     run directory of the test bed: the expected rollouts are read with its admin identity,
//                            the config check types its API server URL, reader token and CA into the config editor
//   E2E_REPORT               report file (default test-results/e2e-report.json)
//   BROWSER_SCREENSHOT_DIR   default test-results/screenshots
//   BROWSER_HOST_DIR         where the host page is bundled (default test-results/browser-host)
//   CHROMIUM                 default /usr/bin/chromium
//   E2E_ONLY                 regular expression: run only the checks whose id matches
//   BROWSER_NOT_RUN          a reason: report every check as failed with it (e.g. Grafana did not start)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../e2e/lib/kube.mjs';
import { Report } from '../e2e/lib/report.mjs';
import { buildHost } from './build-host.mjs';
import { launchChromium } from './chromium.mjs';
import * as checks from './checks.mjs';
import { startHostServer } from './serve.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A browser check's waits are bounded one by one (tests/browser/checks.mjs: the page and a query result 60 s each,
 * every user action 15 s): at most about 4 minutes. Its timeout is longer than that.
 */
const CHECK_TIMEOUT_MS = 5 * 60_000;

/** One request of the harness to Grafana's API gives up after this long. */
const GRAFANA_API_TIMEOUT_MS = 30_000;

const fromRepo = (p) => path.resolve(REPO_ROOT, p);
const grafanaIsStandIn = (process.env.GRAFANA_IS_STAND_IN ?? '1') === '1';
/** The checks name the stand-in; pointed at a real Grafana server, they ran against that instead. */
const againstOf = (check) =>
  grafanaIsStandIn ? check.against : check.against.map((name) => (name === 'grafana-stand-in' ? 'grafana' : name));

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
    signal: AbortSignal.timeout(GRAFANA_API_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
  return text ? JSON.parse(text) : undefined;
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

/** Reports every selected check as failed with `reason`: none is silently missing from the report. */
async function reportNotRun(report, selected, reason) {
  for (const check of selected) {
    if (!report.checks.some((c) => c.id === check.id)) {
      await report.run(check.id, () => Promise.reject(new Error(reason)), { against: againstOf(check) });
    }
  }
}

async function main() {
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  const selected = checks.ALL.filter((c) => !only || only.test(c.id));
  const reportFile = process.env.E2E_REPORT ?? fromRepo('test-results/e2e-report.json');
  if (selected.length === 0) {
    console.log('browser: no check matches E2E_ONLY');
    return;
  }
  const grafanaUrl = process.env.GRAFANA_URL;
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  const passwordFile = runDir && path.join(runDir, 'grafana-admin-password');
  const password =
    process.env.GRAFANA_PASSWORD ??
    (passwordFile && fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, 'utf8').trim() : undefined);
  const notRun =
    process.env.BROWSER_NOT_RUN ||
    (!grafanaUrl || !runDir ? 'GRAFANA_URL and ROLLOUT_LENS_RUN_DIR must be set' : undefined) ||
    (password === undefined
      ? 'no Grafana admin password (GRAFANA_PASSWORD or <run dir>/grafana-admin-password)'
      : undefined);
  if (notRun) {
    const report = new Report();
    await reportNotRun(report, selected, notRun);
    report.mergeInto(reportFile);
    process.exitCode = 1;
    return;
  }
  const user = process.env.GRAFANA_USER ?? 'admin';
  const dataSourceUid = process.env.BROWSER_DATASOURCE_UID ?? 'argo-rollouts-in-cluster';
  const screenshotDir = process.env.BROWSER_SCREENSHOT_DIR ?? fromRepo('test-results/screenshots');
  const hostDir = process.env.BROWSER_HOST_DIR ?? fromRepo('test-results/browser-host');
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
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
    browser = await launchChromium(executablePath);
    report.addComponent('chromium', browser.version());
    const playwright = JSON.parse(fs.readFileSync(fromRepo('node_modules/playwright-core/package.json'), 'utf8'));
    report.addComponent('playwright-core', playwright.version);
    const fromRunDir = (name) => fs.readFileSync(path.join(runDir, name), 'utf8').trim();
    const dataSource = await api('GET', `/api/datasources/uid/${encodeURIComponent(dataSourceUid)}`);
    const ctx = {
      browser,
      server,
      api,
      ids,
      dataSource,
      testBed: {
        apiServerUrl: fromRunDir('apiserver-url'),
        token: fromRunDir('plugin-token'),
        caCert: fromRunDir('ca.crt'),
      },
      screenshotDir,
      rollouts: await expectedRollouts(runDir),
      amdDependencies: {
        'dist/module.js': amdDependencies(fromRepo('dist/module.js')),
        'dist/datasource/module.js': amdDependencies(fromRepo('dist/datasource/module.js')),
      },
      // Every check says what the Grafana side was.
      grafana: {
        real: !grafanaIsStandIn,
        server: grafanaIsStandIn ? 'stand-in Grafana server (tests/grafana-stand-in), not Grafana' : 'Grafana',
        ui: 'host page standing in for Grafana UI (tests/browser/host)',
        hostBundle: { bytes: build.bytes, buildMs: build.ms },
      },
    };
    for (const check of selected) {
      report.register(check.id, check.run, { against: againstOf(check), timeoutMs: CHECK_TIMEOUT_MS });
    }
    await report.runAll(ctx, { concurrency: 1 });
  } catch (err) {
    await reportNotRun(report, selected, `browser harness setup failed: ${err.message}`);
  } finally {
    await browser?.close();
    await server?.close();
  }
  report.finish(reportFile, 'browser', t0);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
