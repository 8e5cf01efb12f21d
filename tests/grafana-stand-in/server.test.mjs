// Tests of the STAND-IN's HTTP server (server.mjs, access.mjs, and proxy.mjs end to end), one per rule of Grafana it
// follows. Each test starts the stand-in on a free port with a small app plugin and its own upstream servers.
// Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { createStandIn } from './server.mjs';

const APP = 'acme-thing-app';
const DS = 'acme-thing-datasource';
const PASSWORDS = { admin: 'admin-secret', viewer: 'viewer-secret' };
const ROUTES = [
  { path: 'admin', reqRole: 'Admin', url: '{{ .JsonData.upstream }}' },
  {
    path: 'api',
    url: '{{ .JsonData.upstream }}',
    headers: [{ name: 'X-Token', content: '{{ .SecureJsonData.token }}' }],
  },
];

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** A plugins folder with the app (one bundled dashboard) and its nested data source, and the provisioning. */
function folders({ appEnabled, dataSources }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-'));
  const dist = path.join(root, 'plugins', APP, 'dist');
  fs.mkdirSync(path.join(dist, 'datasource'), { recursive: true });
  fs.mkdirSync(path.join(dist, 'dashboards'));
  fs.writeFileSync(
    path.join(dist, 'plugin.json'),
    JSON.stringify({
      id: APP,
      type: 'app',
      name: 'Thing',
      preload: true,
      info: { version: '1.0.0' },
      includes: [{ type: 'dashboard', name: 'Things', path: 'dashboards/things.json' }],
    })
  );
  fs.writeFileSync(
    path.join(dist, 'dashboards/things.json'),
    JSON.stringify({ uid: 'things', title: 'Things', revision: 2, panels: [] })
  );
  fs.writeFileSync(
    path.join(dist, 'datasource/plugin.json'),
    JSON.stringify({ id: DS, type: 'datasource', name: 'Thing DS', routes: ROUTES, info: {} })
  );
  const prov = path.join(root, 'provisioning');
  fs.mkdirSync(path.join(prov, 'plugins'), { recursive: true });
  fs.mkdirSync(path.join(prov, 'datasources'));
  fs.writeFileSync(
    path.join(prov, 'plugins/apps.yaml'),
    `apiVersion: 1\napps:\n  - type: ${APP}\n    disabled: ${!appEnabled}\n`
  );
  fs.writeFileSync(
    path.join(prov, 'datasources/ds.yaml'),
    JSON.stringify({
      apiVersion: 1,
      datasources: dataSources.map(([uid, jsonData]) => ({
        name: uid,
        uid,
        type: DS,
        jsonData,
        secureJsonData: { token: 'tok' },
      })),
    })
  );
  return { pluginsDir: path.join(root, 'plugins'), provisioningDir: prov };
}

const SHORT = { timeoutSeconds: 0.4, dialTimeoutSeconds: 0.4, tlsHandshakeTimeoutSeconds: 0.4 };

async function standIn({ appEnabled = true, dataSources = [], dataproxy = SHORT, forwarded = [] } = {}, t) {
  const server = createStandIn({
    adminUser: 'admin',
    adminPassword: PASSWORDS.admin,
    viewerPassword: PASSWORDS.viewer,
    allowUnsigned: [APP, DS],
    developmentMode: false,
    forwardLog: (entry) => forwarded.push(entry),
    dataproxy,
    ...folders({ appEnabled, dataSources }),
  });
  const port = await listen(server);
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  /** One request as `login` (admin or viewer). */
  return (login, method, url, body) =>
    fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${login}:${PASSWORDS[login]}`).toString('base64')}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }));
}

const json = (answer) => JSON.parse(answer.text);

test('DashboardUpdater: the enabled app gets its dashboards at start, loses them when disabled, gets them back', async (t) => {
  const call = await standIn({}, t);
  const imported = await call('viewer', 'GET', '/api/dashboards/uid/things');
  assert.equal(imported.status, 200);
  assert.deepEqual(json(imported).dashboard, {
    uid: 'things',
    title: 'Things',
    revision: 2,
    panels: [],
    id: 1,
    version: 1,
  });
  const listed = json(await call('admin', 'GET', `/api/plugins/${APP}/dashboards`));
  assert.deepEqual(
    listed.map((d) => [d.uid, d.path, d.revision, d.imported, d.importedRevision]),
    [['things', 'dashboards/things.json', 2, true, 2]]
  );

  assert.equal((await call('admin', 'POST', `/api/plugins/${APP}/settings`, { enabled: false })).status, 200);
  assert.equal((await call('admin', 'GET', '/api/dashboards/uid/things')).status, 404);
  assert.equal((await call('admin', 'GET', `/api/plugins/${APP}/dashboards`)).status, 404);

  await call('admin', 'POST', `/api/plugins/${APP}/settings`, { enabled: true });
  assert.equal(json(await call('admin', 'GET', '/api/dashboards/uid/things')).dashboard.revision, 2);
});

test('getFrontendSettings: a disabled app keeps its data sources in the boot data, and is not preloaded', async (t) => {
  const call = await standIn({ appEnabled: false, dataSources: [['ds1', { upstream: 'http://127.0.0.1:1' }]] }, t);
  const boot = json(await call('viewer', 'GET', '/api/frontend/settings'));
  assert.deepEqual(Object.keys(boot.datasources), ['ds1']);
  assert.equal(boot.datasources.ds1.url, '/api/datasources/proxy/uid/ds1');
  assert.deepEqual(boot.apps[APP], {
    id: APP,
    path: `public/plugins/${APP}/module.js`,
    version: '1.0.0',
    preload: false,
  });
  const enabled = json(await call('viewer', 'GET', '/api/plugins?enabled=1'));
  assert.deepEqual(
    enabled.map((p) => p.id),
    []
  );
  assert.equal((await call('viewer', 'GET', '/api/dashboards/uid/things')).status, 404);
});

test('access control: a Viewer queries through the proxy and reads dashboards, but cannot read or change data sources or plugins', async (t) => {
  const upstream = http.createServer((req, res) =>
    res.end(JSON.stringify({ path: req.url, token: req.headers['x-token'] }))
  );
  const port = await listen(upstream);
  t.after(() => upstream.close());
  const call = await standIn({ dataSources: [['ds1', { upstream: `http://127.0.0.1:${port}` }]] }, t);

  const proxied = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/things');
  assert.equal(proxied.status, 200);
  assert.deepEqual(json(proxied), { path: '/things', token: 'tok' });
  assert.equal((await call('viewer', 'GET', '/api/frontend/settings')).status, 200);
  assert.equal((await call('viewer', 'GET', `/api/plugins/${APP}/settings`)).status, 200);

  const denied = {
    'GET /api/datasources': 'datasources:read',
    'GET /api/datasources/uid/ds1': 'datasources:read',
    'POST /api/datasources': 'datasources:create',
    'DELETE /api/datasources/uid/ds1': 'datasources:delete',
    [`POST /api/plugins/${APP}/settings`]: 'plugins:write',
    [`GET /api/plugins/${APP}/dashboards`]: 'reqOrgAdmin',
  };
  for (const [request, action] of Object.entries(denied)) {
    const [method, url] = request.split(' ');
    const answer = await call('viewer', method, url, method === 'POST' ? {} : undefined);
    assert.equal(answer.status, 403, request);
    assert.equal(
      json(answer).message,
      `You'll need additional permissions to perform this action. Permissions needed: ${action}`
    );
  }
  assert.equal((await call('admin', 'GET', '/api/datasources')).status, 200);
});

test('validateRequest: a route with reqRole Admin refuses a Viewer with no fall-through, and serves an Admin', async (t) => {
  let reached = 0;
  const upstream = http.createServer((req, res) => {
    reached++;
    res.end('ok');
  });
  const port = await listen(upstream);
  t.after(() => upstream.close());
  const call = await standIn({ dataSources: [['ds1', { upstream: `http://127.0.0.1:${port}` }]] }, t);
  const denied = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/admin/x');
  assert.deepEqual([denied.status, json(denied).message, reached], [403, 'plugin proxy route access denied', 0]);
  assert.equal((await call('admin', 'GET', '/api/datasources/proxy/uid/ds1/admin/x')).status, 200);
  assert.equal(reached, 1);
});

test('HandleRequest + proxyutil modifyResponse: an upstream 401 becomes a bare 400 that still carries the CSP header', async (t) => {
  const upstream = http.createServer((req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/json', 'Www-Authenticate': 'Bearer', 'Set-Cookie': 'a=b' });
    res.end('{"kind":"Status","code":401}');
  });
  const port = await listen(upstream);
  t.after(() => upstream.close());
  const call = await standIn({ dataSources: [['ds1', { upstream: `http://127.0.0.1:${port}` }]] }, t);
  const answer = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/x');
  assert.equal(answer.status, 400);
  assert.equal(answer.text, 'Authentication to data source failed');
  assert.equal(answer.headers.get('content-security-policy'), 'sandbox');
  assert.equal(answer.headers.get('www-authenticate'), null);
  assert.equal(answer.headers.get('set-cookie'), null);
});

test('[dataproxy] timeout: no response headers within the data source timeout is 504', async (t) => {
  const upstream = http.createServer(() => {});
  const port = await listen(upstream);
  t.after(() => {
    upstream.closeAllConnections();
    upstream.close();
  });
  const forwarded = [];
  const call = await standIn({ forwarded, dataSources: [['ds1', { upstream: `http://127.0.0.1:${port}` }]] }, t);
  const started = Date.now();
  const answer = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/x');
  assert.deepEqual([answer.status, answer.text], [504, '']);
  assert.ok(Date.now() - started >= 350);
  assert.equal(forwarded.at(-1).error, 'net/http: timeout awaiting response headers');
});

test('[dataproxy] tls_handshake_timeout_seconds: a TLS handshake that never ends is 504, before the header timeout', async (t) => {
  const sockets = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  const port = await listen(silent);
  t.after(() => {
    sockets.forEach((socket) => socket.destroy());
    silent.close();
  });
  const dataproxy = { ...SHORT, timeoutSeconds: 30 };
  const forwarded = [];
  const call = await standIn(
    { dataproxy, forwarded, dataSources: [['ds1', { upstream: `https://127.0.0.1:${port}` }]] },
    t
  );
  const started = Date.now();
  const answer = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/x');
  assert.deepEqual([answer.status, answer.text], [504, '']);
  assert.ok(Date.now() - started < 10_000);
  assert.equal(forwarded.at(-1).error, 'net/http: TLS handshake timeout');
});

/**
 * A port on which connections never complete: a listening socket with a backlog of 0 that never accepts (Python's
 * socket module; Node accepts every connection itself), its queue filled by two connections.
 */
async function unansweredPort(t) {
  const child = spawn('python3', [
    '-c',
    'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)',
  ]);
  t.after(() => child.kill());
  const port = Number(await new Promise((resolve) => child.stdout.once('data', resolve)));
  const fillers = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
  t.after(() => fillers.forEach((socket) => socket.destroy()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return port;
}

test('[dataproxy] dialTimeout: a connection that is never accepted is 504 after the dial timeout', async (t) => {
  const port = await unansweredPort(t);
  const dataproxy = { ...SHORT, timeoutSeconds: 30 };
  const forwarded = [];
  const call = await standIn(
    { dataproxy, forwarded, dataSources: [['ds1', { upstream: `http://127.0.0.1:${port}` }]] },
    t
  );
  const started = Date.now();
  const answer = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/x');
  assert.deepEqual([answer.status, answer.text], [504, '']);
  assert.ok(Date.now() - started < 10_000);
  assert.equal(forwarded.at(-1).error, `dial tcp 127.0.0.1:${port}: i/o timeout`);
});
