// grafana/* checks through the HTTP API of the STAND-IN for Grafana's server (tests/grafana-stand-in). Grafana
// cannot be built here (the Go module proxy refuses the AGPL module, docs/testing.md), so every check reports
// "real": false: what is real is the plugin's dist/, our provisioning files, kube-apiserver, RBAC and Argo
// Rollouts; the proxy rules are the stand-in's implementation of Grafana's documented behaviour.
//
//   ROLLOUT_LENS_RUN_DIR=<run dir> node tests/e2e/grafana.mjs     (after tests/e2e/grafana-suite.sh started it)
// grafana/bad-token-message and grafana/health-check run the plugin's own code and live in
// tests/e2e/plugin/grafana.e2e.test.ts (jest e2e suite, with GRAFANA_URL set).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { KUBE_API } from './lib/components.mjs';
import { readJsonLines } from './lib/json-lines.mjs';
import { KubeClient, paths } from './lib/kube.mjs';
import { expect, Report } from './lib/report.mjs';
import { rolloutManifest } from './lib/rollouts.mjs';
import { waitFor } from './lib/wait.mjs';
import { DATA_SOURCES } from './grafana-setup.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_ID = 'rolloutlens-argorollouts-app';
const DS_ID = 'rolloutlens-argorollouts-datasource';
const NS = 'grafana-e2e';
const ROLLOUT = 'grafana-probe';
const STAND_IN_UA = 'Grafana/stand-in';
const AUTH_FAILED = 'Authentication to data source failed';
const REAL = { real: false, grafana: 'stand-in (tests/grafana-stand-in), not Grafana' };

/**
 * One HTTP request to the stand-in as `as` (the admin, or the user `viewer` with the org role Viewer); `rawPath` is
 * sent byte for byte (no URL normalisation).
 */
function grafana(ctx, method, rawPath, { body, auth = true, as = 'admin' } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { Accept: 'application/json' };
  if (auth) {
    headers.Authorization = `Basic ${Buffer.from(`${as}:${ctx.passwords[as]}`).toString('base64')}`;
  }
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: ctx.url.hostname, port: ctx.url.port, path: rawPath, method, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      }
    );
    req.setTimeout(30000, () => req.destroy(new Error(`${method} ${rawPath}: timeout`)));
    req.on('error', reject);
    if (payload !== undefined) {
      req.write(payload);
    }
    req.end();
  });
}

const proxyPath = (uid, rest) => `/api/datasources/proxy/uid/${uid}/${rest}`;
const fingerprint = (token) => `Bearer sha256:${crypto.createHash('sha256').update(token).digest('hex').slice(0, 12)}`;

/** Forward-log entries of the stand-in written since `since` (ISO time). */
const forwardedSince = (ctx, since) => readJsonLines(ctx.forwardLog).filter((e) => e.time >= since);

/** Audit events (kube-apiserver) of requests the stand-in sent since `sinceMs`. */
function auditedSince(ctx, sinceMs) {
  expect(fs.existsSync(ctx.auditLog), `the API server's audit log ${ctx.auditLog} is missing (tests/testbed/start.sh)`);
  return readJsonLines(ctx.auditLog).filter(
    (e) => e.userAgent?.startsWith(STAND_IN_UA) && Date.parse(e.requestReceivedTimestamp) >= sinceMs
  );
}

const auditSummary = (e) => ({
  verb: e.verb,
  uri: e.requestURI,
  user: e.user?.username,
  code: e.responseStatus?.code,
});

async function pluginLoaded(ctx) {
  const all = await grafana(ctx, 'GET', '/api/plugins');
  expect(all.status === 200, `GET /api/plugins: HTTP ${all.status}`, { body: all.text });
  const app = all.json.find((p) => p.id === APP_ID);
  const ds = all.json.find((p) => p.id === DS_ID);
  expect(app?.type === 'app', `${APP_ID} is not listed as an app`, { ids: all.json.map((p) => p.id) });
  expect(ds?.type === 'datasource', `${DS_ID} is not listed as a data source`, { ids: all.json.map((p) => p.id) });
  expect(ds.includedInAppId === APP_ID, `the data source is not nested in the app`, { ds });
  expect(ds.module === `public/plugins/${APP_ID}/datasource/module.js`, 'the nested module URL is not under the app', {
    module: ds.module,
  });
  const typed = await grafana(ctx, 'GET', '/api/plugins?type=datasource');
  expect(typed.json.some((p) => p.id === DS_ID) && !typed.json.some((p) => p.id === APP_ID), '?type=datasource', {
    ids: typed.json.map((p) => p.id),
  });
  const module = await grafana(ctx, 'GET', `/${ds.module}`);
  const built = fs.readFileSync(path.join(REPO_ROOT, 'dist/datasource/module.js'), 'utf8');
  expect(module.status === 200 && module.text === built, 'the nested module is not served from dist/', {
    status: module.status,
  });
  // The stand-in reads routes from dist/: it must be the build of the current src/datasource/plugin.json.
  const routes = (f) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).routes);
  expect(
    routes('dist/datasource/plugin.json') === routes('src/datasource/plugin.json'),
    'dist/ is stale: npm run build'
  );
  return { ...REAL, app: app.id, datasource: ds.id, includedInAppId: ds.includedInAppId, module: ds.module };
}

async function appEnabled(ctx) {
  const settings = await grafana(ctx, 'GET', `/api/plugins/${APP_ID}/settings`);
  expect(settings.status === 200 && settings.json.enabled === true, 'the provisioned app is not enabled', {
    status: settings.status,
    body: settings.json,
  });
  // A nested data source is enabled only while its app is: it must show up in the "Add data source" list.
  const enabledDs = await grafana(ctx, 'GET', '/api/plugins?enabled=1&type=datasource');
  expect(
    enabledDs.json.some((p) => p.id === DS_ID),
    'the nested data source is not enabled with the app',
    {
      ids: enabledDs.json.map((p) => p.id),
    }
  );
  const frontend = await grafana(ctx, 'GET', '/api/frontend/settings');
  const inCluster = Object.values(frontend.json.datasources).find((d) => d.uid === DATA_SOURCES.inCluster);
  expect(inCluster?.url === `/api/datasources/proxy/uid/${DATA_SOURCES.inCluster}`, 'frontend settings', {
    inCluster,
  });
  return { ...REAL, appEnabled: true, nestedDataSourceEnabled: true, instanceUrl: inCluster.url };
}

async function datasourceProvisioned(ctx) {
  const res = await grafana(ctx, 'GET', `/api/datasources/uid/${DATA_SOURCES.inCluster}`);
  expect(res.status === 200, `GET /api/datasources/uid/${DATA_SOURCES.inCluster}: HTTP ${res.status}`);
  const ds = res.json;
  const problems = [];
  if (ds.type !== DS_ID) {
    problems.push(`type ${ds.type}`);
  }
  if (ds.access !== 'proxy') {
    problems.push(`access ${ds.access}`);
  }
  if (ds.jsonData.apiServerUrl !== ctx.apiServerUrl) {
    problems.push(`apiServerUrl ${ds.jsonData.apiServerUrl}`);
  }
  if (ds.jsonData.tlsAuthWithCACert !== true) {
    problems.push('tlsAuthWithCACert not true');
  }
  if (ds.url !== '') {
    problems.push(`url ${JSON.stringify(ds.url)} (the example sets none)`);
  }
  if (JSON.stringify(ds.secureJsonFields) !== JSON.stringify({ token: true, tlsCACert: true })) {
    problems.push(`secureJsonFields ${JSON.stringify(ds.secureJsonFields)}`);
  }
  if ('secureJsonData' in ds || res.text.includes(ctx.pluginToken) || res.text.includes('BEGIN CERTIFICATE')) {
    problems.push('a secret is in the API answer');
  }
  if (ds.readOnly !== true) {
    problems.push('not read-only (provisioned with editable: false)');
  }
  expect(problems.length === 0, `provisioned data source: ${problems.join('; ')}`, { ds });
  const put = await grafana(ctx, 'PUT', `/api/datasources/uid/${ds.uid}`, { body: { ...ds, name: 'renamed' } });
  expect(put.status === 403, `updating a read-only data source answered ${put.status}`, { body: put.json });
  const list = await grafana(ctx, 'GET', '/api/datasources');
  const uids = list.json.map((d) => d.uid).sort();
  expect(
    JSON.stringify(uids) === JSON.stringify(Object.values(DATA_SOURCES).sort()),
    'the provisioned data sources are not the expected ones',
    { uids }
  );
  return { ...REAL, uid: ds.uid, name: ds.name, secureJsonFields: ds.secureJsonFields, readOnly: ds.readOnly, uids };
}

async function datasourceApi(ctx) {
  const created = await grafana(ctx, 'POST', '/api/datasources', {
    body: {
      name: 'e2e api probe',
      type: DS_ID,
      access: 'proxy',
      jsonData: { apiServerUrl: ctx.apiServerUrl },
      secureJsonData: { token: 'first', tlsCACert: 'pem' },
    },
  });
  expect(created.status === 200, `POST /api/datasources: HTTP ${created.status}`, { body: created.json });
  const uid = created.json.datasource.uid;
  try {
    const fields = async () => (await grafana(ctx, 'GET', `/api/datasources/uid/${uid}`)).json;
    const before = await fields();
    // An update that sends only the token keeps the stored CA; "" clears a secret.
    // Each update sends the current version, as the config editor does (an older one is a 409 conflict).
    const update = async (secureJsonData) => {
      const current = await fields();
      return grafana(ctx, 'PUT', `/api/datasources/uid/${uid}`, {
        body: { ...current, jsonData: { ...current.jsonData, clusterName: 'x' }, secureJsonData },
      });
    };
    const kept = await update({ token: 'second' });
    const afterKeep = await fields();
    const cleared = await update({ tlsCACert: '' });
    const afterClear = await fields();
    expect(kept.status === 200 && cleared.status === 200, 'PUT failed', { kept: kept.json, cleared: cleared.json });
    expect(
      JSON.stringify(afterKeep.secureJsonFields) === JSON.stringify({ token: true, tlsCACert: true }),
      'secrets not sent were not kept',
      { afterKeep }
    );
    expect(JSON.stringify(afterClear.secureJsonFields) === JSON.stringify({ token: true }), '"" did not clear', {
      afterClear,
    });
    expect(afterClear.jsonData.clusterName === 'x' && afterClear.version === before.version + 2, 'update lost');
    return { ...REAL, afterKeep: afterKeep.secureJsonFields, afterClear: afterClear.secureJsonFields };
  } finally {
    const del = await grafana(ctx, 'DELETE', `/api/datasources/uid/${uid}`);
    expect(del.status === 200, `DELETE: HTTP ${del.status}`);
  }
}

async function ensureProbeRollout(ctx) {
  const { admin } = ctx;
  if (!(await admin.getOptional(paths.namespace(NS)))) {
    await admin.create(paths.namespaces(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  }
  if (!(await admin.getOptional(paths.rollout(NS, ROLLOUT)))) {
    await admin.create(
      paths.rollouts(NS),
      rolloutManifest({ name: ROLLOUT, replicas: 1, image: 'example.invalid/app:1', strategy: { canary: {} } })
    );
  }
}

/** Removes the probe namespace so that later suites see only their own objects. */
async function removeProbeRollout(admin) {
  if (!(await admin.getOptional(paths.namespace(NS)))) {
    return;
  }
  await admin.delete(paths.rollout(NS, ROLLOUT));
  await admin.delete(paths.namespace(NS));
  await waitFor(`namespace ${NS} deleted`, async () => !(await admin.getOptional(paths.namespace(NS))), {
    timeoutMs: 120000,
  });
}

async function proxyRead(ctx) {
  await ensureProbeRollout(ctx);
  const since = new Date().toISOString();
  const names = (list) => list.items.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort();
  const viaProxy = await grafana(
    ctx,
    'GET',
    proxyPath(DATA_SOURCES.inCluster, 'kube/apis/argoproj.io/v1alpha1/rollouts')
  );
  expect(viaProxy.status === 200, `proxy list: HTTP ${viaProxy.status}`, { body: viaProxy.text.slice(0, 300) });
  const direct = await ctx.admin.get(paths.rollouts());
  expect(
    JSON.stringify(names(viaProxy.json)) === JSON.stringify(names(direct)),
    'the proxy and the admin list different Rollouts',
    { viaProxy: names(viaProxy.json), admin: names(direct) }
  );
  expect(names(viaProxy.json).includes(`${NS}/${ROLLOUT}`), 'the probe Rollout is missing');
  // Dashboards are for viewers: the route has no reqRole, so a Viewer (datasources:query) lists the same, while the
  // data source's settings stay out of its reach (datasources:read).
  const asViewer = await grafana(
    ctx,
    'GET',
    proxyPath(DATA_SOURCES.inCluster, 'kube/apis/argoproj.io/v1alpha1/rollouts'),
    {
      as: 'viewer',
    }
  );
  expect(
    asViewer.status === 200 && JSON.stringify(names(asViewer.json)) === JSON.stringify(names(direct)),
    `a Viewer's list through the proxy: HTTP ${asViewer.status}`,
    { body: asViewer.text.slice(0, 300) }
  );
  const viewerSettings = await grafana(ctx, 'GET', `/api/datasources/uid/${DATA_SOURCES.inCluster}`, { as: 'viewer' });
  expect(viewerSettings.status === 403, `a Viewer read the data source settings: HTTP ${viewerSettings.status}`);
  const namespaced = await grafana(
    ctx,
    'GET',
    proxyPath(DATA_SOURCES.inCluster, `kube/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts?limit=5`)
  );
  expect(namespaced.status === 200 && namespaced.json.items.length === 1, 'namespaced list', {
    status: namespaced.status,
  });
  expect(namespaced.headers['content-security-policy'] === 'sandbox', 'no Content-Security-Policy: sandbox');
  const forwarded = forwardedSince(ctx, since);
  const first = forwarded.find((e) => e.proxyPath === 'kube/apis/argoproj.io/v1alpha1/rollouts');
  expect(
    first?.route?.path === 'kube' &&
      first.target === `${ctx.apiServerUrl}/apis/argoproj.io/v1alpha1/rollouts` &&
      first.authorization === fingerprint(ctx.pluginToken),
    'the list did not go through the kube route with the provisioned token',
    { first }
  );
  const audit = auditedSince(ctx, Date.parse(since));
  const listed = audit.find((e) => e.requestURI === '/apis/argoproj.io/v1alpha1/rollouts' && e.verb === 'list');
  expect(
    listed?.user?.username === 'system:serviceaccount:rollout-lens:rollout-lens-reader',
    'the API server did not see the list as the plugin identity',
    { audit: audit.map(auditSummary) }
  );
  const viewerForwarded = forwarded.find((e) => e.user === 'viewer');
  expect(
    viewerForwarded?.route?.path === 'kube' && viewerForwarded.authorization === fingerprint(ctx.pluginToken),
    "the Viewer's list did not go through the kube route with the provisioned token",
    { viewerForwarded }
  );
  return {
    ...REAL,
    rollouts: names(viaProxy.json),
    forwarded: first,
    viewer: { status: asViewer.status, settings: viewerSettings.status },
    audit: auditSummary(listed),
  };
}

async function proxyRefusesUnroutedPath(ctx) {
  const since = new Date().toISOString();
  const uid = DATA_SOURCES.inCluster;
  // Outside every route: Grafana still proxies them, to ds.url + path; our url is empty, so the transport has
  // no host and answers 502 before anything leaves.
  const unrouted = [
    'api/v1/secrets',
    'api/v1/namespaces/rollout-lens/secrets/rollout-lens-reader-token',
    'apis/argoproj.io/v1alpha1/rollouts',
    'version',
    'kube/../api/v1/secrets', // cleaned before matching: no route
  ];
  const results = [];
  for (const p of unrouted) {
    const res = await grafana(ctx, 'GET', proxyPath(uid, p));
    results.push({ path: p, status: res.status, body: res.text });
  }
  const wrong = results.filter((r) => r.status !== 502 || r.body !== '');
  expect(wrong.length === 0, 'an unrouted path did not end in 502 with an empty body', { results });
  // Under the route, Secrets reach the API server, and RBAC of the least-privilege identity refuses them (403
  // passes through). The prefix match is not segment-aware: "kubernetes/..." matches "kube" and becomes
  // "/rnetes/...", a 404.
  const routedSecrets = await grafana(ctx, 'GET', proxyPath(uid, 'kube/api/v1/secrets'));
  expect(routedSecrets.status === 403 && routedSecrets.json?.reason === 'Forbidden', 'kube/api/v1/secrets', {
    status: routedSecrets.status,
    body: routedSecrets.text.slice(0, 300),
  });
  const prefixQuirk = await grafana(ctx, 'GET', proxyPath(uid, 'kubernetes/api/v1/secrets'));
  // A non-resource URL the identity may not get: 403 from RBAC (or 404), never Secrets.
  expect([403, 404].includes(prefixQuirk.status), `kubernetes/api/v1/secrets answered ${prefixQuirk.status}`);

  const forwarded = forwardedSince(ctx, since);
  const leaked = forwarded.filter(
    (e) => unrouted.includes(e.proxyPath) && (e.route !== null || !e.target.startsWith('http:///') || e.authorization)
  );
  expect(leaked.length === 0, 'an unrouted path was sent somewhere or with a token', { leaked });
  const quirk = forwarded.find((e) => e.proxyPath === 'kubernetes/api/v1/secrets');
  expect(quirk?.target === `${ctx.apiServerUrl}/rnetes/api/v1/secrets`, 'prefix rule', { quirk });

  const audit = auditedSince(ctx, Date.parse(since));
  const secretsSeen = audit.filter((e) => e.objectRef?.resource === 'secrets');
  const allowed = secretsSeen.filter((e) => e.responseStatus?.code !== 403);
  const expected = secretsSeen.filter((e) => e.requestURI === '/api/v1/secrets' && e.responseStatus?.code === 403);
  expect(
    allowed.length === 0 && secretsSeen.length === 1 && expected.length === 1,
    'the API server saw Secrets requests from the stand-in other than the routed one it refused',
    { secretsSeen: secretsSeen.map(auditSummary) }
  );
  const unroutedSeen = audit.filter((e) => ['/version', '/apis/argoproj.io/v1alpha1/rollouts'].includes(e.requestURI));
  expect(unroutedSeen.length === 0, 'an unrouted path reached the API server', {
    unroutedSeen: unroutedSeen.map(auditSummary),
  });
  const auditDetails = { events: audit.length, secretsRequests: secretsSeen.map(auditSummary) };
  return {
    ...REAL,
    unrouted: results.map(({ path: p, status }) => ({ path: p, status })),
    routedSecrets: routedSecrets.status,
    prefixQuirk: { path: 'kubernetes/api/v1/secrets', target: quirk.target, status: prefixQuirk.status },
    audit: auditDetails,
  };
}

async function proxyRefusesWrite(ctx) {
  await ensureProbeRollout(ctx);
  const uid = DATA_SOURCES.inCluster;
  const before = await ctx.admin.get(paths.rollout(NS, ROLLOUT));
  const since = new Date().toISOString();
  const rolloutPath = `kube${paths.rollout(NS, ROLLOUT)}`;
  const writes = [
    ['PATCH', rolloutPath, { metadata: { labels: { written: 'yes' } } }],
    ['PUT', rolloutPath, { ...before, metadata: { ...before.metadata, labels: { written: 'yes' } } }],
    ['DELETE', rolloutPath],
    ['POST', `kube${paths.rollouts(NS)}`, rolloutManifest({ name: 'written', image: 'x', strategy: { canary: {} } })],
    ['PATCH', `${rolloutPath}/status`, { status: { abort: true } }],
    ['DELETE', `kube${paths.secrets('rollout-lens')}/rollout-lens-reader-token`],
    ['POST', 'kube/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: {} }],
  ];
  const results = [];
  for (const [method, p, body] of writes) {
    const res = await grafana(ctx, method, proxyPath(uid, p), { body });
    results.push({ method, path: p, status: res.status });
  }
  const wrong = results.filter((r) => r.status !== 502);
  expect(wrong.length === 0, 'a write was not refused (502: no route, empty data source URL)', { results });
  // The one POST our routes allow still works.
  const review = await grafana(
    ctx,
    'POST',
    proxyPath(uid, 'kube/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'),
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'list', group: 'argoproj.io', resource: 'rollouts' } },
      },
    }
  );
  expect(review.status === 201 && review.json.status.allowed === true, 'the SelfSubjectAccessReview route', {
    status: review.status,
  });
  const after = await ctx.admin.get(paths.rollout(NS, ROLLOUT));
  expect(
    after.metadata.uid === before.metadata.uid &&
      after.metadata.generation === before.metadata.generation &&
      !after.metadata.labels?.written &&
      !(await ctx.admin.getOptional(paths.rollout(NS, 'written'))),
    'the Rollout changed'
  );
  const forwarded = forwardedSince(ctx, since).filter(
    (e) => e.method !== 'POST' || !e.proxyPath.endsWith('selfsubjectaccessreviews')
  );
  expect(
    forwarded.every((e) => e.route === null && !e.authorization && e.status === 502),
    'a write went through a route or with a token',
    { forwarded }
  );
  const audit = auditedSince(ctx, Date.parse(since));
  const writesSeen = audit.filter(
    (e) =>
      e.verb !== 'get' &&
      e.verb !== 'list' &&
      e.verb !== 'watch' &&
      e.objectRef?.resource !== 'selfsubjectaccessreviews'
  );
  expect(writesSeen.length === 0, 'the API server saw writes from the stand-in', {
    writesSeen: writesSeen.map(auditSummary),
  });
  const review201 = audit.filter(
    (e) => e.objectRef?.resource === 'selfsubjectaccessreviews' && e.responseStatus?.code === 201
  );
  expect(review201.length === 1, 'the API server did not see the one SelfSubjectAccessReview', {
    audit: audit.map(auditSummary),
  });
  return { ...REAL, refused: results, selfSubjectAccessReview: review.status, auditEvents: audit.length };
}

async function proxyTls(ctx) {
  // Temporary data sources that differ only in TLS settings, against the real API server.
  const ca = fs.readFileSync(path.join(ctx.runDir, 'ca.crt'), 'utf8');
  const cases = [
    { name: 'CA from secureJsonData', jsonData: { tlsAuthWithCACert: true }, secure: { tlsCACert: ca }, expect: 200 },
    { name: 'no CA: system roots', jsonData: {}, secure: {}, expect: 502 },
    { name: 'CA present but tlsAuthWithCACert off', jsonData: {}, secure: { tlsCACert: ca }, expect: 502 },
    { name: 'skip verify', jsonData: { tlsSkipVerify: true }, secure: {}, expect: 200 },
    {
      name: 'serverName in the certificate',
      jsonData: { tlsAuthWithCACert: true, serverName: 'kubernetes.default.svc' },
      secure: { tlsCACert: ca },
      expect: 200,
    },
    {
      name: 'serverName not in the certificate',
      jsonData: { tlsAuthWithCACert: true, serverName: 'wrong.example' },
      secure: { tlsCACert: ca },
      expect: 502,
    },
    {
      name: 'CA that is not PEM',
      jsonData: { tlsAuthWithCACert: true },
      secure: { tlsCACert: 'garbage' },
      expect: 400,
    },
  ];
  const results = [];
  for (const c of cases) {
    const created = await grafana(ctx, 'POST', '/api/datasources', {
      body: {
        name: `e2e tls ${c.name}`,
        type: DS_ID,
        access: 'proxy',
        jsonData: { apiServerUrl: ctx.apiServerUrl, ...c.jsonData },
        secureJsonData: { token: ctx.pluginToken, ...c.secure },
      },
    });
    expect(created.status === 200, `create ${c.name}: HTTP ${created.status}`);
    const uid = created.json.datasource.uid;
    const res = await grafana(ctx, 'GET', proxyPath(uid, 'kube/version'));
    await grafana(ctx, 'DELETE', `/api/datasources/uid/${uid}`);
    results.push({
      case: c.name,
      expected: c.expect,
      status: res.status,
      body: res.status === 200 ? undefined : res.text,
    });
  }
  const wrong = results.filter((r) => r.status !== r.expected);
  expect(wrong.length === 0, 'TLS settings did not apply as documented', { results });
  const badPem = results.find((r) => r.expected === 400);
  expect(JSON.parse(badPem.body).message === 'Unable to load TLS certificate', 'bad PEM message', { badPem });
  return { ...REAL, results };
}

async function proxyUnauthorized(ctx) {
  const res = await grafana(ctx, 'GET', proxyPath(DATA_SOURCES.wrongToken, 'kube/version'));
  expect(res.status === 400 && res.text === AUTH_FAILED, 'the 401 of the API server was not rewritten', {
    status: res.status,
    body: res.text,
  });
  expect(res.headers['content-security-policy'] === 'sandbox', 'the rewritten 400 lacks Content-Security-Policy', {
    headers: res.headers,
  });
  const noAuth = await grafana(ctx, 'GET', `/api/datasources/uid/${DATA_SOURCES.inCluster}`, { auth: false });
  expect(noAuth.status === 401, `the API answered ${noAuth.status} without login`);
  return { ...REAL, status: res.status, body: res.text };
}

/**
 * Grafana imports the app's bundled dashboards itself (DashboardUpdater): at start for the provisioned, enabled app,
 * each at its `revision`; a Viewer can open them; disabling the app deletes them (its data source stays in the
 * boot data) and enabling it imports them again.
 */
async function appDashboards(ctx) {
  const plugin = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist/plugin.json'), 'utf8'));
  const files = plugin.includes
    .filter((include) => include.type === 'dashboard')
    .map((include) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist', include.path), 'utf8')));
  expect(files.length > 0, 'the app includes no dashboard');
  const listed = await grafana(ctx, 'GET', `/api/plugins/${APP_ID}/dashboards`);
  const summary = (list) => list.map((d) => `${d.uid}@${d.importedRevision}/${d.revision}`).sort();
  const expected = files.map((f) => `${f.uid}@${f.revision}/${f.revision}`).sort();
  expect(
    listed.status === 200 && JSON.stringify(summary(listed.json)) === JSON.stringify(expected),
    'the app dashboards were not imported at their revisions',
    { listed: listed.json, expected }
  );
  const opened = async () => {
    const answers = [];
    for (const file of files) {
      const res = await grafana(ctx, 'GET', `/api/dashboards/uid/${file.uid}`, { as: 'viewer' });
      const { id: _id, version: _version, ...content } = res.json?.dashboard ?? {};
      const { version: _fileVersion, ...fileContent } = file;
      answers.push({
        uid: file.uid,
        status: res.status,
        same: JSON.stringify(content) === JSON.stringify(fileContent),
      });
    }
    return answers;
  };
  const before = await opened();
  expect(
    before.every((a) => a.status === 200 && a.same),
    'a Viewer cannot open the imported dashboards as in dist/',
    { before }
  );

  const setEnabled = (enabled) => grafana(ctx, 'POST', `/api/plugins/${APP_ID}/settings`, { body: { enabled } });
  let whileDisabled;
  try {
    expect((await setEnabled(false)).status === 200, 'disabling the app failed');
    const gone = await opened();
    const boot = (await grafana(ctx, 'GET', '/api/frontend/settings', { as: 'viewer' })).json;
    const enabledDs = (await grafana(ctx, 'GET', '/api/plugins?enabled=1&type=datasource')).json;
    whileDisabled = {
      dashboards: gone.map((a) => a.status),
      bootDataSource: Object.values(boot.datasources).some((d) => d.uid === DATA_SOURCES.inCluster),
      appPreload: boot.apps?.[APP_ID]?.preload,
      dataSourcePluginEnabled: enabledDs.some((p) => p.id === DS_ID),
    };
    expect(
      gone.every((a) => a.status === 404) &&
        whileDisabled.bootDataSource &&
        whileDisabled.appPreload === false &&
        !whileDisabled.dataSourcePluginEnabled,
      'disabling the app: dashboards deleted, its data source still in the boot data, its plugin disabled',
      { whileDisabled }
    );
  } finally {
    await setEnabled(true);
  }
  const after = await opened();
  expect(
    after.every((a) => a.status === 200 && a.same),
    'enabling the app again did not import the dashboards',
    { after }
  );
  return { ...REAL, imported: summary(listed.json), whileDisabled, afterEnabling: after.map((a) => a.status) };
}

/** The stand-in alone, or the stand-in and the API server it proxies to. */
const STAND_IN = ['grafana-stand-in'];
const STAND_IN_AND_API = ['grafana-stand-in', ...KUBE_API];
const CHECKS = {
  'grafana/plugin-loaded': [pluginLoaded, STAND_IN],
  'grafana/app-enabled': [appEnabled, STAND_IN],
  'grafana/app-dashboards': [appDashboards, STAND_IN],
  'grafana/datasource-provisioned': [datasourceProvisioned, STAND_IN],
  'grafana/datasource-api': [datasourceApi, STAND_IN],
  'grafana/proxy-read': [proxyRead, STAND_IN_AND_API],
  'grafana/proxy-refuses-unrouted-path': [proxyRefusesUnroutedPath, STAND_IN_AND_API],
  'grafana/proxy-refuses-write': [proxyRefusesWrite, STAND_IN_AND_API],
  'grafana/proxy-tls': [proxyTls, STAND_IN_AND_API],
  'grafana/proxy-401-rewrite': [proxyUnauthorized, STAND_IN_AND_API],
};

async function main() {
  const t0 = Date.now();
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR;
  const reportFile = process.env.E2E_REPORT ?? 'test-results/e2e-report.json';
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
  const report = new Report();
  report.addComponent('grafana', 'stand-in (tests/grafana-stand-in; Grafana not buildable here, see docs/testing.md)');
  // Failed checks say "real": false too.
  const standIn = (fn) => async (ctx) => {
    try {
      return await fn(ctx);
    } catch (err) {
      err.details = { ...REAL, ...(err.details ?? {}) };
      throw err;
    }
  };
  for (const [id, [fn, against]] of Object.entries(CHECKS)) {
    report.register(id, standIn(fn), { against });
  }
  const filter = (id) => !only || only.test(id);

  if (process.env.E2E_NOT_RUN || !runDir || !fs.existsSync(path.join(runDir, 'grafana-url'))) {
    const reason =
      process.env.E2E_NOT_RUN || 'the Grafana stand-in is not running (no grafana-url in the run directory)';
    await report.runAll(
      {},
      { filter, concurrency: 1, override: () => Promise.reject(Object.assign(new Error(reason), { details: REAL })) }
    );
  } else {
    const read = (f) => fs.readFileSync(path.join(runDir, f), 'utf8').trim();
    const admin = KubeClient.fromRunDir(runDir, 'admin');
    const ctx = {
      runDir,
      url: new URL(read('grafana-url')),
      passwords: { admin: read('grafana-admin-password'), viewer: read('grafana-viewer-password') },
      apiServerUrl: read('apiserver-url'),
      pluginToken: read('plugin-token'),
      forwardLog: path.join(runDir, 'grafana/forward.log'),
      auditLog: path.join(runDir, 'audit/audit.log'),
      admin,
    };
    try {
      await waitFor('Grafana stand-in healthy', async () => (await grafana(ctx, 'GET', '/api/health')).status === 200, {
        timeoutMs: 10000,
      });
      // One at a time: the refusal checks read the logs for the time they ran.
      await report.runAll(ctx, { filter, concurrency: 1 });
    } finally {
      await removeProbeRollout(admin).catch((err) => console.error(`grafana: cleanup: ${err.message}`));
      admin.close();
    }
  }
  report.finish(reportFile, 'grafana (stand-in)', t0);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
