// The demo/starts check: `npm run demo` comes up from nothing in a run directory of its own (a second test bed, new
// ports) and does its first update round; Chromium opens the URL it printed and finds the overview dashboard of
// the demo rollouts (tables and annotations, refreshed every 10 s, labelled as Grafana's dashboard library outside
// Grafana, with a link to the detail dashboard); then SIGTERM to `npm run demo` must stop every process it started.
// Merged into $E2E_REPORT.
//   node tests/demo/starts.mjs      (from tests/e2e/run.sh; E2E_ONLY filters like the other checks)
// Environment: ROLLOUT_LENS_CACHE, ROLLOUT_LENS_RUN_DIR (the demo runs in <it>-demo-check), E2E_REPORT, E2E_ONLY,
// DEMO_CHECK_TIMEOUT_SECONDS (default 420: the demo up and its first round done), BROWSER_SCREENSHOT_DIR, CHROMIUM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../browser/chromium.mjs';
import { expect, Report } from '../e2e/lib/report.mjs';
import { sleep } from '../e2e/lib/wait.mjs';
import { AGAINST } from '../scenes/checks.mjs';
import { columnOf, rowsOf } from '../scenes/oracle.mjs';
import { markersOnPage, openScenesPage, screenshotPage, settle } from '../scenes/session.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.ROLLOUT_LENS_CACHE ?? path.join(os.homedir(), '.cache/rollout-lens');
// Beside the e2e run's own directory, so that two e2e runs with different run directories never share one.
const RUN_DIR = process.env.ROLLOUT_LENS_RUN_DIR
  ? `${process.env.ROLLOUT_LENS_RUN_DIR}-demo-check`
  : path.join(CACHE, 'run-demo-check');
const REPORT_FILE = process.env.E2E_REPORT ?? path.join(REPO_ROOT, 'test-results/e2e-report.json');
const LOG_FILE = path.join(path.dirname(REPORT_FILE), 'demo.log');
const SCREENSHOT_DIR = process.env.BROWSER_SCREENSHOT_DIR ?? path.join(REPO_ROOT, 'test-results/screenshots');
const TIMEOUT_MS = Number(process.env.DEMO_CHECK_TIMEOUT_SECONDS ?? 420) * 1000;
/** After SIGTERM, the demo stops the test bed (up to 10 s per process) and exits. */
const STOP_TIMEOUT_MS = 90_000;
const EXPECTED_ROLLOUTS = ['catalog', 'checkout', 'payments'];
const LIBRARY_LABEL = "Grafana's dashboard library outside Grafana";

const readIfExists = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);

/** `npm run demo`, as a user starts it, with a short promotion wait and one update round in the check's time. */
function startDemo() {
  fs.mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const log = fs.openSync(LOG_FILE, 'w');
  const child = spawn('npm', ['run', 'demo'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ROLLOUT_LENS_CACHE: CACHE,
      DEMO_RUN_DIR: RUN_DIR,
      ROLLOUT_LENS_RUN_DIR: RUN_DIR,
      DEMO_PROMOTE_SECONDS: '2',
      DEMO_UPDATE_SECONDS: '3600',
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => fs.closeSync(log));
  return { child, exited };
}

/** Waits for `condition()` to give a value, failing early when the demo exits. */
async function waitFor(what, condition, demo, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited;
  demo.exited.then((result) => (exited = result));
  for (;;) {
    const value = condition();
    if (value !== undefined) {
      return value;
    }
    if (exited) {
      throw new Error(`the demo exited (${JSON.stringify(exited)}) before ${what}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`no ${what} within ${timeoutMs / 1000} s`);
    }
    await sleep(1000);
  }
}

/** Processes in the tree under `pid`, read from /proc: [{pid, command, startTime}]. */
function processTree(pid) {
  const all = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const command = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        return { pid: Number(p), ppid: Number(fields[1]), startTime: fields[19], command };
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
  const tree = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const proc of all.filter((p) => p.ppid === parent)) {
      tree.push(proc);
      queue.push(proc.pid);
    }
  }
  return tree;
}

/** The processes of the run directory's PID files (test bed, Grafana stand-in, dashboard page). */
function recordedProcesses() {
  const pids = path.join(RUN_DIR, 'pids');
  if (!fs.existsSync(pids)) {
    return [];
  }
  return fs
    .readdirSync(pids)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => ({ name: f.replace(/\.pid$/, ''), pid: Number(readIfExists(path.join(pids, f))) }))
    .map((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
        return { ...p, startTime: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] };
      } catch {
        return p;
      }
    });
}

/** Those of `procs` that still run (same pid and start time, not a zombie). */
function stillRunning(procs) {
  return procs.filter((p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] !== 'Z' && (p.startTime === undefined || fields[19] === p.startTime);
    } catch {
      return false;
    }
  });
}

/** What a visitor of the printed URL sees. */
async function lookAtPage(url, details) {
  const browser = await launchChromium();
  try {
    const { page, problems, snapshot } = await openScenesPage(browser, url);
    const seen = (details.page = { url });
    seen.label = (await page.getByTestId('library-label').innerText()).trim();
    const links = page.getByTestId('dashboard-link');
    seen.links = await links.evaluateAll((els) =>
      els.map((el) => ({ text: el.innerText.trim(), href: el.getAttribute('href') }))
    );
    const rollouts = snapshot.panels.find((p) => p.title === 'Rollouts');
    seen.rolloutsTable = columnOf(rollouts?.frames ?? [], 'name').sort();
    seen.tableText = (
      await page
        .locator(`[data-testid="${rollouts?.key}-table"]`)
        .innerText()
        .catch(() => '')
    ).slice(0, 600);
    const markers = await markersOnPage(page);
    seen.markers = markers.drawn.length;
    seen.markerTitles = [...new Set(markers.drawn.map((m) => m.title))].slice(0, 10);
    seen.tooltip = markers.tooltip?.text.slice(0, 300);
    seen.annotations = snapshot.layers.filter((l) => l.enabled).reduce((n, l) => n + rowsOf(l.emitted).length, 0);
    seen.refresh = new URL(page.url()).searchParams.get('refresh');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const shot = path.join(SCREENSHOT_DIR, 'demo-overview.png');
    await screenshotPage(page, shot, { pointAt: 'region' });
    seen.screenshot = path.relative(REPO_ROOT, shot);
    // Live: the dashboard refreshes by itself every 10 s.
    const before = snapshot.queriesRun;
    await sleep(12_000);
    seen.queriesIn12s = (await settle(page)).queriesRun - before;
    seen.browserProblems = problems;

    expect(seen.label === LIBRARY_LABEL, `the page is not labelled "${LIBRARY_LABEL}"`, details);
    expect(
      seen.links.some(
        (l) => l.text === 'Rollout detail' && /^\/d\/rolloutlens-rollout-detail\?.*var-namespace=demo/.test(l.href)
      ),
      'no link to the detail dashboard of namespace demo',
      details
    );
    expect(
      JSON.stringify(seen.rolloutsTable) === JSON.stringify(EXPECTED_ROLLOUTS) &&
        EXPECTED_ROLLOUTS.every((name) => seen.tableText.includes(name)),
      `the Rollouts table shows ${seen.rolloutsTable.join(', ')}, expected ${EXPECTED_ROLLOUTS.join(', ')}`,
      details
    );
    expect(seen.markers > 0 && seen.annotations > 0, 'no annotation drawn on the time series', details);
    expect(
      seen.markerTitles.every((t) =>
        EXPECTED_ROLLOUTS.some((name) => t.startsWith(`${name} `) || t.startsWith(`${name}:`))
      ),
      'annotations that do not name a demo rollout',
      details
    );
    expect(
      seen.refresh === '10s' && seen.queriesIn12s > 0,
      'the dashboard did not refresh by itself within 12 s',
      details
    );
    expect(problems.length === 0, `the page reported problems: ${problems.slice(0, 5).join('; ')}`, details);
  } finally {
    await browser.close();
  }
}

async function demoStarts() {
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  const started = Date.now();
  const demo = startDemo();
  const details = { log: path.relative(REPO_ROOT, LOG_FILE) };
  try {
    const url = await waitFor(
      'dashboard URL (demo-url)',
      () => readIfExists(path.join(RUN_DIR, 'demo-url')),
      demo,
      TIMEOUT_MS
    );
    details.upSeconds = (Date.now() - started) / 1000;
    details.printed = fs.readFileSync(LOG_FILE, 'utf8').includes(url);
    expect(details.printed, 'the demo did not print its dashboard URL', details);
    const status = await waitFor(
      'first update round',
      () => {
        const s = JSON.parse(readIfExists(path.join(RUN_DIR, 'demo-status.json')) ?? '{}');
        return s.rounds?.length > 0 ? s : undefined;
      },
      demo,
      TIMEOUT_MS - (Date.now() - started)
    );
    Object.assign(details, {
      initialDeploySeconds: status.initialDeploySeconds,
      firstRound: status.rounds[0].outcomes,
      roundSeconds: (Date.now() - started) / 1000 - details.upSeconds,
    });
    await lookAtPage(url, details);
  } finally {
    // SIGTERM to `npm run demo`, as a supervisor stops it: everything it started must stop.
    const tree = processTree(demo.child.pid);
    const recorded = recordedProcesses();
    details.processesBeforeStop = tree.length + recorded.length;
    demo.child.kill('SIGTERM');
    const stopped = await Promise.race([demo.exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
    details.stop = stopped ?? `still running after ${STOP_TIMEOUT_MS / 1000} s`;
    await sleep(1000);
    const left = [...stillRunning(tree), ...stillRunning(recorded)];
    details.leftRunning = left.map((p) => `${p.pid} ${p.name ?? p.command.slice(0, 80)}`);
    details.tail = fs.readFileSync(LOG_FILE, 'utf8').trim().split('\n').slice(-6);
  }
  expect(typeof details.stop === 'object', 'npm run demo did not exit after SIGTERM', details);
  expect(details.leftRunning.length === 0, `SIGTERM left processes of the demo running`, details);
  return details;
}

const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
if (!only || only.test('demo/starts')) {
  const report = new Report();
  // Up and one round, then the page (about a minute) and the stop.
  const result = await report.run('demo/starts', demoStarts, {
    against: AGAINST,
    timeoutMs: TIMEOUT_MS + STOP_TIMEOUT_MS + 180_000,
  });
  report.mergeInto(REPORT_FILE);
  process.exitCode = result.passed ? 0 : 1;
}
