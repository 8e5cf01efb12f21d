// Same-origin server for the browser harness: serves a page bundled by build-host.mjs (the host page of
// tests/browser/host, or the scenes page of tests/scenes/page) and its bundle, the icons of @grafana/ui, Grafana's
// fonts (Inter from inter-ui, the files Grafana ships; Roboto Mono from @fontsource/roboto-mono, the latin subset
// Grafana names by its Google Fonts file name), and forwards /api/* and /public/plugins/* to the Grafana server
// with its admin login, so that the page's backendSrv speaks plain relative URLs, as it does inside Grafana.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const ICONS_DIR = path.join(REPO_ROOT, 'node_modules/@grafana/ui/dist/public/img/icons');
const SYSTEMJS_DIR = path.join(REPO_ROOT, 'node_modules/systemjs/dist');
const INTER_DIR = path.join(REPO_ROOT, 'node_modules/inter-ui/web');
/** The one Roboto Mono file @grafana/ui's global styles ask for (weights 400 and 500 alike). */
const ROBOTO_MONO = {
  '/public/fonts/roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2': path.join(
    REPO_ROOT,
    'node_modules/@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2'
  ),
};

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Paths the browser may read from disk: prefix of the URL -> directory. */
function staticRoutes(bundleDir) {
  return [
    ['/host/', bundleDir],
    ['/vendor/systemjs/', SYSTEMJS_DIR],
    ['/public/build/img/icons/', ICONS_DIR],
    ['/public/fonts/inter/', INTER_DIR],
  ];
}

/** The page itself: `/`, and `/d/<uid>` (a dashboard, at the path Grafana uses) for the scenes page. */
const isPage = (pathname) => pathname === '/' || pathname.startsWith('/d/');

const isForwarded = (pathname) => pathname.startsWith('/api/') || pathname.startsWith('/public/plugins/');

/** Resolves `pathname` under one of the static routes, refusing anything that escapes its directory. */
function staticFile(routes, pathname) {
  for (const [prefix, dir] of routes) {
    if (pathname.startsWith(prefix)) {
      const file = path.resolve(dir, decodeURIComponent(pathname.slice(prefix.length)));
      return file.startsWith(dir + path.sep) ? file : undefined;
    }
  }
  return undefined;
}

function sendFile(res, file) {
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
}

function forward(req, res, grafana, authorization, log) {
  const target = new URL(req.url, grafana);
  const headers = { ...req.headers, host: target.host, authorization };
  delete headers.cookie;
  const upstream = http.request(target, { method: req.method, headers }, (answer) => {
    log.push({ method: req.method, path: req.url, status: answer.statusCode });
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    // Node sends the headers with the first body chunk; a watch may be silent for minutes, so send them now (Grafana's
    // proxy, in front, already flushed them).
    res.flushHeaders();
    answer.pipe(res);
  });
  upstream.on('error', (err) => {
    log.push({ method: req.method, path: req.url, status: 502, error: err.message });
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`Grafana unreachable: ${err.message}`);
  });
  req.pipe(upstream);
}

/**
 * Starts the server on 127.0.0.1 (`port`, default 0: a free one).
 * @param {{grafanaUrl: string, user: string, password: string, bundleDir: string, port?: number}} options
 * @returns {Promise<{url: string, forwarded: Array<{method: string, path: string, status?: number}>, close: () => Promise<void>}>}
 */
export async function startHostServer({ grafanaUrl, user, password, bundleDir, port: listenPort = 0 }) {
  const grafana = new URL(grafanaUrl);
  if (grafana.protocol !== 'http:') {
    throw new Error(`only http Grafana URLs are supported, got ${grafanaUrl}`);
  }
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const routes = staticRoutes(path.resolve(bundleDir));
  const forwarded = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://host.invalid');
    if (isForwarded(pathname)) {
      forward(req, res, grafana, authorization, forwarded);
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const file = isPage(pathname)
      ? path.join(routes[0][1], 'index.html')
      : (ROBOTO_MONO[pathname] ?? staticFile(routes, pathname));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    sendFile(res, file);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
