// Real-stack checks against a running test bed (tests/testbed/start.sh). Writes or merges into the report.
//
//   node tests/e2e/main.mjs
// Environment:
//   ROLLOUT_LENS_RUN_DIR     run directory of the test bed (required)
//   E2E_REPORT               report file (default test-results/e2e-report.json)
//   ROLLOUT_LENS_RECORD_DIR  if set, each passing scenario's objects are recorded there
//   E2E_ONLY                 regular expression: run only the checks whose id matches
//   E2E_CONCURRENCY          scenarios run at the same time (default: all; each has its own namespace)
import fs from 'node:fs';
import path from 'node:path';
import { TEST_BED } from './lib/components.mjs';
import { KubeClient } from './lib/kube.mjs';
import { Report } from './lib/report.mjs';
import { startMetricServer } from './lib/metric-server.mjs';
import * as rbac from './checks/rbac.mjs';
import * as canaryPromote from './scenarios/canary-promote.mjs';
import * as canaryAbort from './scenarios/canary-abort.mjs';
import * as bluegreenPromote from './scenarios/bluegreen-promote.mjs';
import * as analysis from './scenarios/analysis.mjs';
import * as rollback from './scenarios/rollback.mjs';
import * as restart from './scenarios/restart.mjs';
import * as stepPlugin from './scenarios/step-plugin.mjs';
import * as experimentStep from './scenarios/experiment-step.mjs';

/**
 * A scenario's waits are bounded one by one (a fresh namespace 180 s, each state of the Rollout 90 s, scale-downs 60 s,
 * Events 15 s, settling 15 s): about 9 minutes in the slowest one, blue-green. Its timeout is longer than that.
 */
const SCENARIO_TIMEOUT_MS = 10 * 60_000;
const SCENARIOS = [
  canaryPromote,
  canaryAbort,
  bluegreenPromote,
  analysis.success,
  analysis.failure,
  rollback,
  restart,
  stepPlugin,
  experimentStep,
];

async function main() {
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  if (!runDir || (!process.env.E2E_NOT_RUN && !fs.existsSync(path.join(runDir, 'apiserver-url')))) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  const reportFile = process.env.E2E_REPORT ?? 'test-results/e2e-report.json';
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  const concurrency = Number(process.env.E2E_CONCURRENCY ?? SCENARIOS.length);

  const report = new Report();
  const componentsFile = path.join(runDir, 'components.json');
  const components = fs.existsSync(componentsFile) ? JSON.parse(fs.readFileSync(componentsFile, 'utf8')) : [];
  for (const c of components) {
    report.addComponent(c.name, c.version);
  }

  report.register(rbac.id, rbac.run, { against: rbac.against });
  for (const s of SCENARIOS) {
    report.register(`scenario/${s.name}`, s.run, { against: TEST_BED, timeoutMs: SCENARIO_TIMEOUT_MS });
  }
  const filter = (id) => !only || only.test(id);

  const t0 = Date.now();
  if (process.env.E2E_NOT_RUN) {
    // The test bed did not start: every check is reported as failed, none is silently missing.
    const reason = process.env.E2E_NOT_RUN;
    await report.runAll({}, { filter, concurrency: 1, override: () => Promise.reject(new Error(reason)) });
  } else {
    const admin = KubeClient.fromRunDir(runDir, 'admin');
    const metrics = await startMetricServer();
    const ctx = {
      runDir,
      admin,
      metrics,
      components,
      recordDir: process.env.ROLLOUT_LENS_RECORD_DIR || undefined,
      rbacNamespace: 'rollout-lens',
    };
    try {
      // Scenarios first (each in its own namespace), then RBAC.
      await report.runAll(ctx, { concurrency, filter: (id) => id.startsWith('scenario/') && filter(id) });
      await report.runAll(ctx, { filter: (id) => !id.startsWith('scenario/') && filter(id) });
    } finally {
      await metrics.close();
      admin.close();
    }
  }
  report.finish(reportFile, 'checks', t0);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
