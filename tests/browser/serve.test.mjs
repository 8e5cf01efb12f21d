// Tests of the host server (serve.mjs). Run: node --test tests/browser/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { startHostServer } from './serve.mjs';

/** An upstream that records what it received and answers 200 with the request's path. */
async function startUpstream() {
  const received = [];
  const server = http.createServer((req, res) => {
    received.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => server.close() };
}

async function withServers(fn) {
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-'));
  fs.writeFileSync(path.join(bundleDir, 'index.html'), '<html>host</html>');
  fs.writeFileSync(path.join(bundleDir, 'host.js'), '/* bundle */');
  const upstream = await startUpstream();
  const host = await startHostServer({ grafanaUrl: upstream.url, user: 'admin', password: 's3cret', bundleDir });
  try {
    await fn({ host, upstream });
  } finally {
    await host.close();
    upstream.close();
  }
}

test('forwards /api and /public/plugins to Grafana with the admin login instead of the browser cookie', async () => {
  await withServers(async ({ host, upstream }) => {
    const res = await fetch(`${host.url}/api/datasources/proxy/uid/a/kube/version?x=1`, { headers: { cookie: 'c=1' } });
    await fetch(`${host.url}/public/plugins/app/datasource/module.js`);

    assert.equal(res.status, 200);
    assert.deepEqual(
      upstream.received.map((r) => r.url),
      ['/api/datasources/proxy/uid/a/kube/version?x=1', '/public/plugins/app/datasource/module.js']
    );
    assert.equal(upstream.received[0].headers.authorization, `Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
    assert.equal(upstream.received[0].headers.cookie, undefined);
    assert.deepEqual(host.forwarded[0], {
      method: 'GET',
      path: '/api/datasources/proxy/uid/a/kube/version?x=1',
      status: 200,
    });
  });
});

test('serves the host page and its bundle, and nothing outside the bundle directory', async () => {
  await withServers(async ({ host, upstream }) => {
    assert.equal(await (await fetch(`${host.url}/`)).text(), '<html>host</html>');
    assert.equal(await (await fetch(`${host.url}/host/host.js`)).text(), '/* bundle */');
    assert.equal((await fetch(`${host.url}/host/..%2f..%2fetc%2fpasswd`)).status, 404);
    assert.equal((await fetch(`${host.url}/elsewhere`)).status, 404);
    assert.equal(upstream.received.length, 0);
  });
});

test("serves every font file @grafana/ui's global styles ask for", async () => {
  const styles = fs.readFileSync(
    new URL('../../node_modules/@grafana/ui/dist/esm/themes/GlobalStyles/fonts.mjs', import.meta.url),
    'utf8'
  );
  const files = [...styles.matchAll(/\$\{fontRoot\}([^')]+)/g)].map((m) => m[1]);
  assert.ok(files.length >= 5, `font files found in @grafana/ui: ${files}`);
  await withServers(async ({ host }) => {
    for (const file of new Set(files)) {
      const res = await fetch(`${host.url}/public/fonts/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('content-type'), 'font/woff2', file);
      assert.equal(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 4)
          .toString('latin1'),
        'wOF2',
        file
      );
    }
  });
});
