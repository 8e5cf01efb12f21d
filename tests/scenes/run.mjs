// The scenes/* checks: Debian's Chromium opens the scenes page (tests/scenes/page), where Grafana's dashboard
// library @grafana/scenes runs the bundled dashboards of dist/ against the Grafana stand-in that the grafana/*
// suite left running (<run dir>/grafana-url), through its data source proxy to the test bed. Called by
// tests/e2e/run.sh after the browser/* checks; merges its checks into the e2e report and writes screenshots.
//
//   ROLLOUT_LENS_RUN_DIR=<run dir> node tests/scenes/run.mjs
// Environment: E2E_REPORT (default test-results/e2e-report.json), E2E_ONLY, E2E_NOT_RUN (a reason: the test bed did
// not start; every check is reported failed with it), BROWSER_SCREENSHOT_DIR (default test-results/screenshots),
// SCENES_PAGE_DIR (where the page is bundled, default test-results/scenes-page), CHROMIUM (default
// /usr/bin/chromium), BROWSER_HOST_MINIFY=0 (readable stacks).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../browser/chromium.mjs';
import { startHostServer } from '../browser/serve.mjs';
import { KubeClient } from '../e2e/lib/kube.mjs';
import { Report } from '../e2e/lib/report.mjs';
import { buildScenesPage } from './build.mjs';
import * as checks from './checks.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fromRepo = (p) => path.resolve(REPO_ROOT, p);
const MAIN_DATA_SOURCE = 'argo-rollouts-in-cluster';

/** Rollouts of the scenarios (namespaces e2e-*), read with the admin identity: what the dashboards must show. */
async function scenarioRollouts(runDir) {
  const admin = KubeClient.fromRunDir(runDir, 'admin');
  try {
    const list = await admin.get('/apis/argoproj.io/v1alpha1/rollouts');
    return list.items
      .filter((r) => r.metadata.namespace.startsWith('e2e-'))
      .map((r) => ({ namespace: r.metadata.namespace, name: r.metadata.name }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  } finally {
    admin.close();
  }
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The bundled dashboards as dist/ ships them, by uid (the checks build variants of them). */
function distDashboards() {
  const app = readJson(fromRepo('dist/plugin.json'));
  return Object.fromEntries(
    app.includes
      .filter((include) => include.type === 'dashboard')
      .map((include) => readJson(fromRepo(path.join('dist', include.path))))
      .map((json) => [json.uid, json])
  );
}

async function main() {
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  const selected = checks.CHECKS.filter((c) => !only || only.test(c.id));
  const reportFile = process.env.E2E_REPORT ?? fromRepo('test-results/e2e-report.json');
  if (selected.length === 0) {
    console.log('scenes: no check matches E2E_ONLY');
    return;
  }
  const report = new Report();
  for (const check of selected) {
    report.register(check.id, check.run, { against: check.against });
  }
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR ?? '';
  const urlFile = path.join(runDir, 'grafana-url');
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const notRun =
    process.env.E2E_NOT_RUN ||
    (!runDir ? 'ROLLOUT_LENS_RUN_DIR must name the run directory of the test bed' : undefined) ||
    (!fs.existsSync(urlFile) ? `no Grafana server: ${urlFile} is missing (see the grafana/* checks)` : undefined) ||
    (!fs.existsSync(chromiumPath)
      ? `${chromiumPath} is missing (bash tests/testbed/prereqs.sh installs Debian's chromium)`
      : undefined);
  const t0 = Date.now();
  let browser;
  let server;
  try {
    if (notRun) {
      throw new Error(notRun);
    }
    const grafanaUrl = fs.readFileSync(urlFile, 'utf8').trim();
    const password = fs.readFileSync(path.join(runDir, 'grafana-admin-password'), 'utf8').trim();
    const pageDir = process.env.SCENES_PAGE_DIR ?? fromRepo('test-results/scenes-page');
    const screenshotDir = process.env.BROWSER_SCREENSHOT_DIR ?? fromRepo('test-results/screenshots');
    fs.mkdirSync(screenshotDir, { recursive: true });
    const build = await buildScenesPage(pageDir);
    server = await startHostServer({ grafanaUrl, user: 'admin', password, bundleDir: pageDir });
    browser = await launchChromium(chromiumPath);
    report.addComponent('chromium', browser.version());
    for (const name of ['@grafana/scenes', '@grafana/ui', '@grafana/data']) {
      report.addComponent(name, readJson(fromRepo(`node_modules/${name}/package.json`)).version);
    }
    const namespacedFile = path.join(runDir, 'grafana/namespaced.json');
    const ctx = {
      browser,
      server,
      runDir,
      screenshotDir,
      dataSource: MAIN_DATA_SOURCE,
      rollouts: await scenarioRollouts(runDir),
      namespaced: fs.existsSync(namespacedFile) ? readJson(namespacedFile) : undefined,
      dashboards: distDashboards(),
      page: { bytes: build.bytes, buildMs: build.ms },
    };
    await report.runAll(ctx, { concurrency: 1 });
  } catch (err) {
    const reason = `scenes harness setup failed: ${err.message}`;
    await report.runAll({}, { concurrency: 1, override: () => Promise.reject(new Error(reason)) });
  } finally {
    await browser?.close();
    await server?.close();
  }
  report.finish(reportFile, 'scenes', t0);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
