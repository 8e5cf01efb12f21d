// Creates the demo rollouts (deploy/compose/demo-rollouts.yaml) in a started test bed and keeps them moving: every
// few minutes each rollout gets a new image; paused canaries and blue-green previews are promoted, the analysis
// fails every fourth round (a red annotation) and `catalog` is aborted every third round. Called by
// scripts/demo/demo.sh; runs until SIGINT/SIGTERM, or with --once does one quick round, verifies and exits.
//
//   node scripts/demo/driver.mjs <run dir> [--once]
// Environment: DEMO_UPDATE_SECONDS (default 180), DEMO_PROMOTE_SECONDS (default 30; 0 with --once).
// Writes <run dir>/demo-status.json: {ready, rounds, rollouts, grafana, page}.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import YAML from 'yaml';

import { KubeClient, paths } from '../../tests/e2e/lib/kube.mjs';
import { abort, getRollout, promote, setImage, summarize } from '../../tests/e2e/lib/rollouts.mjs';
import { sleep, waitFor } from '../../tests/e2e/lib/wait.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MANIFESTS = path.join(REPO_ROOT, 'deploy/compose/demo-rollouts.yaml');
const NAMESPACE = 'demo';
const COLOURS = ['blue', 'green', 'yellow', 'orange', 'purple', 'red'];
const ROUND_TIMEOUT_MS = 5 * 60_000;

const log = (message) => console.log(`[demo ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** The analysis endpoint: {"ok": true} unless a round asks for a failing analysis. */
async function startMetricServer() {
  const state = { ok: true, hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: state.ok }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${server.address().port}/healthy`, close: () => server.close() };
}

function collectionPath(doc) {
  const ns = doc.metadata.namespace;
  switch (doc.kind) {
    case 'Namespace':
      return paths.namespaces();
    case 'Service':
      return paths.services(ns);
    case 'AnalysisTemplate':
      return paths.analysistemplates(ns);
    case 'Rollout':
      return paths.rollouts(ns);
    default:
      throw new Error(`${MANIFESTS}: no API path for kind ${doc.kind}`);
  }
}

/** Points every analysis step's `url` argument at the local metric server. */
function withAnalysisUrl(doc, url) {
  if (doc.kind !== 'Rollout') {
    return doc;
  }
  for (const step of doc.spec.strategy.canary?.steps ?? []) {
    for (const arg of step.analysis?.args ?? []) {
      if (arg.name === 'url') {
        arg.value = url;
      }
    }
  }
  return doc;
}

async function createDemo(client, metricUrl) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(MANIFESTS, 'utf8')).map((d) => d.toJS());
  for (const doc of docs) {
    await client.create(collectionPath(doc), withAnalysisUrl(doc, metricUrl));
    if (doc.kind === 'Namespace') {
      // Pods need the namespace's default ServiceAccount, which kube-controller-manager creates.
      await waitFor(`default ServiceAccount in ${NAMESPACE}`, () =>
        client.getOptional(`/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`)
      );
    }
  }
  return docs.filter((d) => d.kind === 'Rollout').map((d) => d.metadata.name);
}

const settled = (ro) => String(ro.metadata.generation) === String(ro.status?.observedGeneration);
const isHealthy = (s) => s.phase === 'Healthy' && s.stableRS === s.currentPodHash;

/** The pause at the current step waits for a promotion (`pause: {}`) rather than for a duration. */
function waitsForPromotion(ro, s) {
  if (s.pauseConditions.includes('BlueGreenPause')) {
    return true;
  }
  const step = ro.spec.strategy.canary?.steps?.[s.currentStepIndex ?? -1];
  return Boolean(step?.pause) && step.pause.duration === undefined;
}

/**
 * Follows one rollout's update to its end: promotes pauses that wait for it (after `promoteAfterMs`, timed pauses
 * too when `promoteAfterMs` is 0), or aborts at the first pause when `abortIt`. Resolves the outcome.
 */
async function driveUpdate(client, name, { promoteAfterMs, abortIt }) {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  let pausedSince;
  while (Date.now() < deadline) {
    const ro = await getRollout(client, NAMESPACE, name);
    const s = summarize(ro);
    if (settled(ro)) {
      if (s.abort || s.phase === 'Degraded') {
        return 'aborted';
      }
      if (isHealthy(s) && (s.currentStepIndex === undefined || s.pauseConditions.length === 0)) {
        return 'succeeded';
      }
      if (s.phase === 'Paused') {
        pausedSince ??= Date.now();
        if (abortIt) {
          await abort(client, NAMESPACE, name);
        } else if ((promoteAfterMs === 0 || waitsForPromotion(ro, s)) && Date.now() - pausedSince >= promoteAfterMs) {
          await promote(client, NAMESPACE, name);
          pausedSince = undefined;
        }
      } else {
        pausedSince = undefined;
      }
    }
    await sleep(1000);
  }
  throw new Error(`rollout ${NAMESPACE}/${name} did not finish its update within ${ROUND_TIMEOUT_MS / 60_000} min`);
}

async function waitUntilHealthy(client, names) {
  await Promise.all(
    names.map((name) =>
      waitFor(
        `rollout ${NAMESPACE}/${name} healthy`,
        async () => {
          const ro = await getRollout(client, NAMESPACE, name);
          return settled(ro) && isHealthy(summarize(ro));
        },
        { timeoutMs: 120_000, intervalMs: 500 }
      )
    )
  );
}

/** One round: a new image for every rollout, driven to its end. */
async function round(client, names, n, metrics, { promoteAfterMs, quick }) {
  const image = `argoproj/rollouts-demo:${COLOURS[(n + 1) % COLOURS.length]}`;
  const failAnalysis = !quick && n % 4 === 3;
  const abortCatalog = !quick && n % 3 === 2;
  metrics.state.ok = !failAnalysis;
  log(
    `round ${n + 1}: image ${image}` +
      (failAnalysis ? ', checkout analysis will fail' : '') +
      (abortCatalog ? ', catalog will be aborted' : '')
  );
  const outcomes = await Promise.all(
    names.map(async (name) => {
      await setImage(client, NAMESPACE, name, image);
      const outcome = await driveUpdate(client, name, { promoteAfterMs, abortIt: abortCatalog && name === 'catalog' });
      log(`  ${name}: ${outcome}`);
      return [name, outcome];
    })
  );
  metrics.state.ok = true;
  return Object.fromEntries(outcomes);
}

/** What a user of the demo sees: the rollouts through the plugin's read-only identity, and Grafana's answer. */
async function verify(runDir, names) {
  const plugin = KubeClient.fromRunDir(runDir, 'plugin');
  try {
    const { body } = await plugin.request('GET', paths.rollouts(NAMESPACE));
    const rollouts = body.items.map((ro) => ({ name: ro.metadata.name, ...pick(summarize(ro)) }));
    if (rollouts.length !== names.length) {
      throw new Error(
        `the plugin's identity lists ${rollouts.length} rollouts in ${NAMESPACE}, expected ${names.length}`
      );
    }
    return { rollouts, grafana: await askGrafana(runDir, names.length), page: await askPage(runDir) };
  } finally {
    plugin.close();
  }
}

const pick = (s) => ({ phase: s.phase, revision: s.revision });

/** Through the Grafana stand-in's data source proxy, as the plugin in the browser would ask, when it runs. */
async function askGrafana(runDir, expected) {
  const urlFile = path.join(runDir, 'grafana-url');
  if (!fs.existsSync(urlFile)) {
    return { started: false };
  }
  const url = fs.readFileSync(urlFile, 'utf8').trim();
  const password = fs.readFileSync(path.join(runDir, 'grafana-admin-password'), 'utf8').trim();
  const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const health = await fetch(`${url}/api/health`);
  const proxied = await fetch(
    `${url}/api/datasources/proxy/uid/argo-rollouts/kube/apis/argoproj.io/v1alpha1/namespaces/${NAMESPACE}/rollouts`,
    { headers: { Authorization: auth } }
  );
  const body = await proxied.json();
  if (!health.ok || !proxied.ok || body.items?.length !== expected) {
    throw new Error(
      `Grafana at ${url}: /api/health ${health.status}, data source proxy ${proxied.status} with ${body.items?.length ?? 0} rollouts (expected ${expected}): ${JSON.stringify(body).slice(0, 300)}`
    );
  }
  return { started: true, url, health: health.status, proxiedRollouts: body.items.length };
}

/** The dashboard page serves the overview dashboard and its bundle, when it runs. */
async function askPage(runDir) {
  const urlFile = path.join(runDir, 'scenes-url');
  if (!fs.existsSync(urlFile)) {
    return { started: false };
  }
  const url = fs.readFileSync(urlFile, 'utf8').trim();
  const statuses = {};
  for (const file of ['/d/rolloutlens-overview', '/host/host.js']) {
    statuses[file] = (await fetch(`${url}${file}`)).status;
  }
  if (Object.values(statuses).some((status) => status !== 200)) {
    throw new Error(`the dashboard page at ${url} answered ${JSON.stringify(statuses)}`);
  }
  return { started: true, url, statuses };
}

async function main() {
  const [runDir, ...flags] = process.argv.slice(2);
  if (!runDir || !fs.existsSync(path.join(runDir, 'apiserver-url'))) {
    throw new Error('usage: node scripts/demo/driver.mjs <run dir of a started test bed> [--once]');
  }
  const once = flags.includes('--once');
  const updateMs = Number(process.env.DEMO_UPDATE_SECONDS ?? 180) * 1000;
  const promoteAfterMs = once ? 0 : Number(process.env.DEMO_PROMOTE_SECONDS ?? 30) * 1000;
  const statusFile = path.join(runDir, 'demo-status.json');
  const status = { ready: false, rounds: [] };
  const writeStatus = () => fs.writeFileSync(statusFile, JSON.stringify(status, null, 2) + '\n');

  const client = KubeClient.fromRunDir(runDir, 'admin');
  const metrics = await startMetricServer();
  let stopping = false;
  const stop = () => {
    stopping = true;
    log('stopping');
    metrics.close();
    client.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const t0 = Date.now();
  const names = await createDemo(client, metrics.url);
  log(`created ${names.join(', ')} in namespace ${NAMESPACE}; waiting for the first deploy`);
  await waitUntilHealthy(client, names);
  status.initialDeploySeconds = (Date.now() - t0) / 1000;
  if (!once) {
    status.ready = true;
    writeStatus();
  }

  for (let n = 0; !stopping; n++) {
    const started = Date.now();
    status.rounds.push({
      round: n + 1,
      outcomes: await round(client, names, n, metrics, { promoteAfterMs, quick: once }),
    });
    if (once) {
      Object.assign(status, await verify(runDir, names), { ready: true, seconds: (Date.now() - t0) / 1000 });
      writeStatus();
      log(`verified: ${JSON.stringify(status)}`);
      break;
    }
    writeStatus();
    const wait = Math.max(5_000, updateMs - (Date.now() - started));
    log(`next update in ${Math.round(wait / 1000)} s (Ctrl-C stops the demo)`);
    await sleep(wait);
  }
  metrics.close();
  client.close();
}

main().catch((error) => {
  console.error(`[demo] ${error.stack ?? error}`);
  process.exit(1);
});
