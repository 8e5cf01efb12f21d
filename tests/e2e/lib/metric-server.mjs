// The HTTP endpoint the analysis scenarios point the `web` metric provider at: binds 127.0.0.1 on a free port.
//   GET /healthy   -> {"ok": true,  "errorRate": 0}
//   GET /unhealthy -> {"ok": false, "errorRate": 0.5}
import http from 'node:http';

const RESPONSES = {
  '/healthy': { ok: true, errorRate: 0 },
  '/unhealthy': { ok: false, errorRate: 0.5 },
};

export async function startMetricServer() {
  const hits = {};
  const server = http.createServer((req, res) => {
    const route = new URL(req.url, 'http://127.0.0.1').pathname;
    hits[route] = (hits[route] ?? 0) + 1;
    const body = RESPONSES[route];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: (route) => `${base}${route}`,
    hits: (route) => hits[route] ?? 0,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
