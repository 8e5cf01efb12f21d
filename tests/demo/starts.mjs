// The demo/starts check: `npm run demo -- --once` comes up from nothing in a run directory of its own (a second test
// bed, new ports), does one update round, verifies that the plugin's identity and Grafana's data source proxy (the
// stand-in, when the repository has one) answer, and leaves nothing running. Merged into $E2E_REPORT.
//   node tests/demo/starts.mjs      (from tests/e2e/run.sh; E2E_ONLY filters like the other checks)
// Environment: ROLLOUT_LENS_CACHE, ROLLOUT_LENS_RUN_DIR (the demo runs in <it>-demo-check), E2E_REPORT, E2E_ONLY, DEMO_CHECK_TIMEOUT_SECONDS (default 240).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TEST_BED } from '../e2e/lib/components.mjs';
import { expect, Report } from '../e2e/lib/report.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.ROLLOUT_LENS_CACHE ?? path.join(os.homedir(), '.cache/rollout-lens');
// Beside the e2e run's own directory, so that two e2e runs with different run directories never share one.
const RUN_DIR = process.env.ROLLOUT_LENS_RUN_DIR
  ? `${process.env.ROLLOUT_LENS_RUN_DIR}-demo-check`
  : path.join(CACHE, 'run-demo-check');
const REPORT_FILE = process.env.E2E_REPORT ?? path.join(REPO_ROOT, 'test-results/e2e-report.json');
const LOG_FILE = path.join(path.dirname(REPORT_FILE), 'demo-once.log');
const TIMEOUT_MS = Number(process.env.DEMO_CHECK_TIMEOUT_SECONDS ?? 240) * 1000;
const EXPECTED_ROLLOUTS = ['catalog', 'checkout', 'payments'];

/** Runs the demo with --once; resolves its exit code (null when it had to be killed after the timeout). */
function runDemoOnce() {
  fs.mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const log = fs.openSync(LOG_FILE, 'w');
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/demo/demo.sh', '--once'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ROLLOUT_LENS_CACHE: CACHE, DEMO_RUN_DIR: RUN_DIR, ROLLOUT_LENS_RUN_DIR: RUN_DIR },
      stdio: ['ignore', log, log],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve(code);
    });
  });
}

/** Processes recorded in the run directory's pid files that still run. */
function stillRunning() {
  const pids = path.join(RUN_DIR, 'pids');
  if (!fs.existsSync(pids)) {
    return [];
  }
  return fs
    .readdirSync(pids)
    .filter((f) => f.endsWith('.pid'))
    .filter((f) => {
      const pid = fs.readFileSync(path.join(pids, f), 'utf8').trim();
      const exe = fs.existsSync(path.join(pids, f.replace(/\.pid$/, '.exe')))
        ? fs.readFileSync(path.join(pids, f.replace(/\.pid$/, '.exe')), 'utf8').trim()
        : undefined;
      try {
        return fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '') === exe;
      } catch {
        return false;
      }
    })
    .map((f) => f.replace(/\.pid$/, ''));
}

async function demoStarts() {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  const started = Date.now();
  const code = await runDemoOnce();
  const seconds = (Date.now() - started) / 1000;
  const tail = fs.readFileSync(LOG_FILE, 'utf8').trim().split('\n').slice(-8);
  const details = { seconds, exitCode: code, log: path.relative(REPO_ROOT, LOG_FILE), tail };
  expect(code === 0, `npm run demo -- --once exited with ${code} after ${seconds} s`, details);

  const status = JSON.parse(fs.readFileSync(path.join(RUN_DIR, 'demo-status.json'), 'utf8'));
  Object.assign(details, {
    initialDeploySeconds: status.initialDeploySeconds,
    demoSeconds: status.seconds,
    rollouts: status.rollouts,
    outcomes: status.rounds.at(-1)?.outcomes,
    grafana: status.grafana,
  });
  expect(status.ready === true, 'the demo did not report ready', details);
  expect(
    JSON.stringify(status.rollouts.map((r) => r.name).sort()) === JSON.stringify(EXPECTED_ROLLOUTS),
    `the plugin's identity lists ${status.rollouts.map((r) => r.name)} in namespace demo`,
    details
  );
  expect(
    status.rollouts.every((r) => r.phase === 'Healthy' && r.revision === '2'),
    'every demo rollout is Healthy at revision 2 after one update round',
    details
  );
  expect(
    Object.values(status.rounds.at(-1).outcomes).every((o) => o === 'succeeded'),
    'every update of the quick round succeeded',
    details
  );
  if (fs.existsSync(path.join(REPO_ROOT, 'tests/grafana-stand-in/start.sh'))) {
    expect(
      status.grafana?.started === true && status.grafana.proxiedRollouts === EXPECTED_ROLLOUTS.length,
      "Grafana (stand-in) answered with the demo's rollouts through its data source proxy",
      details
    );
  }
  const leftovers = stillRunning();
  details.leftRunning = leftovers;
  expect(leftovers.length === 0, `the demo left processes running: ${leftovers.join(', ')}`, details);
  return details;
}

const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
if (!only || only.test('demo/starts')) {
  const report = new Report();
  const result = await report.run('demo/starts', demoStarts, {
    against: [...TEST_BED, 'grafana-stand-in'],
    timeoutMs: TIMEOUT_MS + 60_000,
  });
  report.mergeInto(REPORT_FILE);
  process.exitCode = result.passed ? 0 : 1;
}
