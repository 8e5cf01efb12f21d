// Tests of the STAND-IN's data source proxy rules (proxy.mjs). Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { test } from 'node:test';

import {
  cleanRelativePath,
  dataSourceTlsOptions,
  directRequest,
  flushEvery200ms,
  joinURLFragments,
  matchRoute,
  parseDataSourceUrl,
  reencodeQuery,
} from './proxy.mjs';

// The routes of src/datasource/plugin.json, in their order.
const header = [
  { name: 'Authorization', content: '{{ if .SecureJsonData.token }}Bearer {{ .SecureJsonData.token }}{{ end }}' },
];
const routes = [
  {
    path: 'kube/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    method: 'POST',
    url: '{{ .JsonData.apiServerUrl }}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    headers: header,
  },
  { path: 'kube', method: 'GET', url: '{{ .JsonData.apiServerUrl }}', headers: header },
];
const ds = { uid: 'u', url: '', jsonData: { apiServerUrl: 'https://10.0.0.1:6443' }, secureJsonData: { token: 't' } };
const direct = (method, proxyPath, extra = {}) =>
  directRequest({
    ds,
    routes,
    method,
    proxyPath,
    rawQuery: '',
    headers: {},
    clientIp: '127.0.0.1',
    userAgent: 'UA',
    ...extra,
  });

test('cleans paths like util.CleanRelativePath and joins like JoinURLFragments', () => {
  assert.equal(cleanRelativePath('kube/../api/v1/secrets'), 'api/v1/secrets');
  assert.equal(cleanRelativePath(''), '.');
  assert.equal(joinURLFragments('', '/apis'), '/apis');
  assert.equal(joinURLFragments('/a/', '/b'), '/a/b');
  assert.equal(joinURLFragments('/a', 'b'), '/a/b');
  assert.equal(joinURLFragments('/a', ''), '/a');
});

test('matches the first route in order whose method is exact and whose path is a string prefix', () => {
  assert.equal(matchRoute(routes, 'GET', 'kube/apis/argoproj.io/v1alpha1/rollouts').path, 'kube');
  assert.equal(matchRoute(routes, 'POST', 'kube/apis/authorization.k8s.io/v1/selfsubjectaccessreviews').method, 'POST');
  assert.equal(matchRoute(routes, 'POST', 'kube/apis/argoproj.io/v1alpha1/rollouts'), undefined);
  assert.equal(matchRoute(routes, 'PATCH', 'kube/apis/argoproj.io/v1alpha1/rollouts/x'), undefined);
  assert.equal(matchRoute(routes, 'get', 'kube/version'), undefined);
  assert.equal(matchRoute(routes, 'GET', 'kubernetes/x').path, 'kube');
  assert.equal(matchRoute(routes, 'GET', 'kube/../api/v1/secrets'), undefined);
});

test('sends a routed GET to the templated URL with the token, the route path cut off', () => {
  const { target, headers, route } = direct('GET', 'kube/apis/argoproj.io/v1alpha1/rollouts', {
    headers: {
      Authorization: 'Basic admin',
      Cookie: 'grafana_session=s; other=1',
      Origin: 'x',
      'X-DS-Authorization': 'ds',
    },
    rawQuery: 'limit=5&labelSelector=app%3Dx',
  });
  assert.equal(route.path, 'kube');
  assert.deepEqual(target, {
    scheme: 'https',
    host: '10.0.0.1:6443',
    path: '/apis/argoproj.io/v1alpha1/rollouts',
    rawQuery: 'labelSelector=app%3Dx&limit=5',
  });
  assert.equal(headers.authorization, 'Bearer t');
  assert.equal(headers.cookie, undefined);
  assert.equal(headers.origin, undefined);
  assert.equal(headers['user-agent'], 'UA');
});

test('sends an empty Authorization header when no token is stored', () => {
  const { headers } = directRequest({
    ds: { ...ds, secureJsonData: {} },
    routes,
    method: 'GET',
    proxyPath: 'kube/version',
    rawQuery: '',
    headers: {},
    clientIp: '',
    userAgent: 'UA',
  });
  assert.equal(headers.authorization, '');
});

test('still proxies an unrouted path, to ds.url + the full path and without route headers', () => {
  const { target, headers, route } = direct('DELETE', 'kube/apis/argoproj.io/v1alpha1/namespaces/a/rollouts/b', {
    headers: { Authorization: 'Basic admin' },
  });
  assert.equal(route, undefined);
  assert.equal(target.host, '');
  assert.equal(target.path, '/kube/apis/argoproj.io/v1alpha1/namespaces/a/rollouts/b');
  assert.equal(headers.authorization, undefined);
  const elsewhere = directRequest({
    ds: { ...ds, url: 'other:8080' },
    routes,
    method: 'GET',
    proxyPath: 'api/v1/secrets',
    rawQuery: '',
    headers: {},
    clientIp: '',
    userAgent: 'UA',
  });
  assert.deepEqual(
    [elsewhere.target.scheme, elsewhere.target.host, elsewhere.target.path],
    ['http', 'other:8080', '/api/v1/secrets']
  );
});

test('keeps going without the route URL when its template fails, as Grafana logs and proceeds', () => {
  const broken = [{ path: 'kube', url: '{{ .JsonData.apiServerUrl', headers: header }];
  const { target, headers, notes } = directRequest({
    ds,
    routes: broken,
    method: 'GET',
    proxyPath: 'kube/version',
    rawQuery: '',
    headers: {},
    clientIp: '',
    userAgent: 'UA',
  });
  assert.equal(target.host, '');
  assert.equal(headers.authorization, undefined);
  assert.match(notes[0], /could not parse template/);
});

test('re-encodes the query like url.Values.Encode', () => {
  assert.equal(reencodeQuery('b=2&a=1&a=0&c=x y'), 'a=1&a=0&b=2&c=x+y');
  assert.equal(
    reencodeQuery('fieldSelector=involvedObject.kind%3DRollout'),
    'fieldSelector=involvedObject.kind%3DRollout'
  );
});

test('adds http:// to a data source URL without scheme and keeps an empty one hostless', () => {
  assert.deepEqual(parseDataSourceUrl(''), { scheme: 'http', host: '', path: '', rawQuery: '' });
  assert.equal(parseDataSourceUrl('k8s:6443/x').host, 'k8s:6443');
});

test('builds TLS options from the data source settings and refuses PEM that does not parse', () => {
  assert.deepEqual(dataSourceTlsOptions({ jsonData: {}, secureJsonData: { tlsCACert: 'x' } }), {
    rejectUnauthorized: true,
  });
  assert.deepEqual(dataSourceTlsOptions({ jsonData: { tlsSkipVerify: 'true' } }), { rejectUnauthorized: true });
  assert.deepEqual(dataSourceTlsOptions({ jsonData: { tlsSkipVerify: true, serverName: 'k' } }), {
    rejectUnauthorized: false,
    servername: 'k',
  });
  assert.throws(() =>
    dataSourceTlsOptions({ jsonData: { tlsAuthWithCACert: true }, secureJsonData: { tlsCACert: 'garbage' } })
  );
  assert.throws(() =>
    dataSourceTlsOptions({ jsonData: { tlsAuth: true }, secureJsonData: { tlsClientCert: 'a', tlsClientKey: 'b' } })
  );
});

test('ApplyRoute/addQueryString: rendered urlParams are added and the query re-encoded like url.Values.Encode', () => {
  const withParams = [
    { path: 'kube', url: '{{ .JsonData.apiServerUrl }}', urlParams: [{ name: 'key', content: 'v w' }] },
  ];
  const { target } = direct('GET', 'kube/x', { routes: withParams, rawQuery: 'z=1&a=2' });
  assert.equal(target.rawQuery, 'a=2&key=v+w&z=1');
});

test('ApplyRoute/addQueryString: a urlParam that fails adds none and leaves the query as it came; ApplyRoute goes on', () => {
  const failing = [
    {
      path: 'kube',
      url: '{{ .JsonData.apiServerUrl }}',
      urlParams: [
        { name: 'ok', content: 'fine' },
        { name: 'bad', content: '{{ .SecureJsonData.token.x }}' },
      ],
      headers: header,
    },
  ];
  const { target, headers, notes } = direct('GET', 'kube/x', { routes: failing, rawQuery: 'z=1&a=b%20c' });
  assert.equal(target.rawQuery, 'z=1&a=b%20c');
  assert.equal(target.host, '10.0.0.1:6443');
  assert.equal(headers.authorization, 'Bearer t');
  assert.match(notes[0], /Failed to render plugin URL query string: failed to execute template/);
});

test('ApplyRoute/addHeaders: headers are set in order until one fails; the request still goes to the route URL', () => {
  const failing = [
    {
      path: 'kube',
      url: '{{ .JsonData.apiServerUrl }}',
      headers: [
        { name: 'X-First', content: 'one' },
        { name: 'X-Broken', content: '{{ if .JsonData.apiServerUrl }}' },
        { name: 'X-Last', content: 'three' },
      ],
    },
  ];
  const { target, headers, notes } = direct('GET', 'kube/version', { routes: failing });
  assert.equal(headers['x-first'], 'one');
  assert.equal(headers['x-broken'], undefined);
  assert.equal(headers['x-last'], undefined);
  assert.equal(`${target.scheme}://${target.host}${target.path}`, 'https://10.0.0.1:6443/version');
  assert.match(notes[0], /Failed to render plugin headers: could not parse template/);
});

test('ApplyRoute: a missing key renders as <no value> (text/template, missingkey=default), not as an error', () => {
  const missing = [
    {
      path: 'kube',
      url: '{{ .JsonData.apiServerUrl }}',
      headers: [{ name: 'X-Team', content: '{{ .JsonData.team }}' }],
    },
  ];
  const { headers, notes } = direct('GET', 'kube/x', { routes: missing });
  assert.equal(headers['x-team'], '<no value>');
  assert.deepEqual(notes, []);
});

test('flushes a streamed response as copyResponse does: headers after 200 ms, then what arrives within 200 ms in one write', async () => {
  const upstream = new EventEmitter();
  const writes = [];
  const downstream = Object.assign(new EventEmitter(), {
    ended: false,
    flushHeaders: () => writes.push({ at: Date.now(), text: '(headers)' }),
    write: (chunk) => writes.push({ at: Date.now(), text: chunk.toString() }),
    end: () => {
      downstream.ended = true;
    },
    destroy: () => {},
  });
  const started = Date.now();
  flushEvery200ms(upstream, downstream);
  // A silent body (a watch with no change yet): the headers still go out after 200 ms.
  await new Promise((resolve) => setTimeout(resolve, 260));
  assert.deepEqual(
    writes.map((write) => write.text),
    ['(headers)']
  );
  assert.ok(writes[0].at - started >= 195, `headers flushed after ${writes[0].at - started} ms`);
  writes.length = 0;
  const second = Date.now();
  upstream.emit('data', Buffer.from('{"type":"ADDED"}\n'));
  upstream.emit('data', Buffer.from('{"type":"MODIFIED"}\n'));
  assert.deepEqual(writes, []);
  await new Promise((resolve) => setTimeout(resolve, 260));
  assert.deepEqual(
    writes.map((write) => write.text),
    ['{"type":"ADDED"}\n{"type":"MODIFIED"}\n']
  );
  assert.ok(writes[0].at - second >= 195, `flushed after ${writes[0].at - second} ms`);
  upstream.emit('data', Buffer.from('{"type":"DELETED"}\n'));
  upstream.emit('end');
  assert.equal(writes.length, 2);
  assert.equal(writes[1].text, '{"type":"DELETED"}\n');
  assert.equal(downstream.ended, true);
});

test(
  'a silent stream still gets its response headers after 200 ms over a real HTTP connection',
  { timeout: 5_000 },
  async () => {
    const upstream = new EventEmitter();
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      flushEvery200ms(upstream, res);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const response = await new Promise((resolve, reject) =>
        http.get(`http://127.0.0.1:${server.address().port}/`, resolve).on('error', reject)
      );
      const afterMs = Date.now() - started;
      assert.equal(response.statusCode, 200);
      assert.ok(afterMs >= 180 && afterMs < 2_000, `headers after ${afterMs} ms`);
      const body = new Promise((resolve) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(text));
      });
      upstream.emit('data', Buffer.from('{"type":"BOOKMARK"}\n'));
      upstream.emit('end');
      assert.equal(await body, '{"type":"BOOKMARK"}\n');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
);

test('an upstream stream that breaks off aborts the answer instead of leaving it open', () => {
  const upstream = new EventEmitter();
  let destroyed = false;
  const downstream = Object.assign(new EventEmitter(), {
    write: () => {},
    end: () => assert.fail('a broken stream is not ended cleanly'),
    flushHeaders: () => {},
    destroy: () => {
      destroyed = true;
    },
  });
  flushEvery200ms(upstream, downstream);
  upstream.emit('data', Buffer.from('{"type":"ADDED"}\n'));
  upstream.emit('close');
  assert.equal(destroyed, true);
});
