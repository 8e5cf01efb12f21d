// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for Grafana's data source
// proxy, `/api/datasources/proxy/uid/<uid>/*` (pkg/api/pluginproxy, pkg/util/proxyutil; the facts are in
// ../shared/reference/grafana-fidelity.md). Each rule names the Grafana code it follows:
//   validateRequest (ds_proxy.go): the first route in plugin.json order whose method is empty, "*" or exactly the
//        request's method, and whose cleaned `path` is a plain string prefix (not segment-aware) of the cleaned
//        proxy path. Its `reqRole` is checked (org role hierarchy, HasUserRole): denied is 403 "plugin proxy
//        route access denied", with no fall-through to a later route. No route: the request is STILL proxied, to
//        ds.url + the full proxy path, without route headers. A data source URL without scheme gets "http://"
//        (datasource.ValidateURL); an empty one becomes "http://" with no host, so Go's transport fails ("http: no
//        Host in request URL") and the answer is 502.
//   ApplyRoute (ds_auth_provider.go, utils.go): the route path is cut off the raw proxy path with TrimPrefix; the
//        url template is rendered (route-template.mjs); when it fails to render or parse, ApplyRoute returns and
//        the request goes on as directed so far. Then addQueryString renders every urlParam and re-encodes the
//        query like url.Values.Encode; when one fails, no param is added and the query is left as it came, and
//        ApplyRoute goes on. Then addHeaders sets the route headers in order until one fails, and ApplyRoute
//        goes on. Each failure is logged, never answered.
//   director (ds_proxy.go) + wrapDirector/PrepareProxyRequest (proxyutil): Authorization of the caller always
//        removed; X-DS-Authorization renamed to Authorization; basic auth from the data source; X-Grafana-User
//        removed; cookies dropped except jsonData.keepCookies, the Grafana session cookie always dropped;
//        User-Agent set; Origin, Referer, X-Forwarded-Host/Port/Proto removed, X-Grafana-Referer set,
//        X-Forwarded-For appended; hop-by-hop headers removed; custom headers httpHeaderNameN/httpHeaderValueN.
//   HandleRequest's modifyResponse (ds_proxy.go), then proxyutil's modifyResponse: an upstream 401 is replaced by a
//        400 with body "Authentication to data source failed" and no header of its own; then, on every answer,
//        Set-Cookie is removed and `Content-Security-Policy: sandbox` set (SetProxyResponseHeaders), so the 400
//        carries it too. proxyutil errorHandler: a transport timeout is 504, any other transport error 502, both
//        with an empty body.
//   dsTLSOptions + the SDK's GetTLSConfig: jsonData.tlsSkipVerify (only a JSON true counts, like simplejson
//        MustBool), serverName, tlsAuthWithCACert + secureJsonData.tlsCACert (then the only trusted roots),
//        tlsAuth + tlsClientCert/tlsClientKey; PEM that does not parse -> 400 {"message":"Unable to load TLS
//        certificate"}.
//   Timeouts ([dataproxy] in Grafana's configuration, the SDK's httpclient): jsonData.timeout (seconds, else
//        [dataproxy] timeout = 30) bounds the wait for the response headers once the request is sent; dialing
//        ([dataproxy] dialTimeout = 10) and the TLS handshake (tls_handshake_timeout_seconds = 10) have their
//        own limits. All three are timeouts, so 504. A response whose headers arrived is never cut, so a
//        Kubernetes watch streams through.
//   Streaming (ds_proxy.go sets FlushInterval: 200 ms on its httputil.ReverseProxy; copyResponse and
//        maxLatencyWriter): an initial 200 ms timer flushes the headers even when the body is silent (a watch with no
//        change yet), the body is copied as it arrives into a buffer, and the first write after a flush arms a 200 ms
//        timer that flushes everything written meanwhile (`flushEvery200ms`); the end of the body flushes at once.
// Not covered: tokenAuth/jwtTokenAuth, route `body`, reqAction (RBAC actions on routes), OAuth pass-through, the
// data_source_proxy_whitelist, Grafana's exact log lines.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

import { roleIncludes } from './access.mjs';
import {
  interpolateString,
  TemplateExecError,
  TemplateSyntaxError,
  TemplateUnsupportedError,
} from './route-template.mjs';

export const AUTH_FAILED_MESSAGE = 'Authentication to data source failed';
export const TLS_LOAD_FAILED_MESSAGE = 'Unable to load TLS certificate';
/** [dataproxy] defaults of Grafana's configuration (conf/defaults.ini). */
export const DATAPROXY_DEFAULTS = { timeoutSeconds: 30, dialTimeoutSeconds: 10, tlsHandshakeTimeoutSeconds: 10 };
export const ROUTE_ACCESS_DENIED = 'plugin proxy route access denied';
const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
const GRAFANA_SESSION_COOKIE = 'grafana_session';

/** util.CleanRelativePath: clean as if rooted, then relative to "/" ("." for the root). */
export function cleanRelativePath(p) {
  const cleaned = path.posix.normalize(path.posix.join('/', p));
  const rel = path.posix.relative('/', cleaned);
  return rel === '' ? '.' : rel;
}

/** util.JoinURLFragments. */
export function joinURLFragments(a, b) {
  if (b.length === 0) {
    return a;
  }
  const aslash = a.endsWith('/');
  const bslash = b.startsWith('/');
  if (aslash && bslash) {
    return a + b.slice(1);
  }
  if (!aslash && !bslash) {
    return `${a}/${b}`;
  }
  return a + b;
}

/** Go's url.PathEscape-like escaping of a path (encodePath mode keeps `/`, `$&+,:;=@` and unreserved). */
export function goEscapePath(p) {
  return p.replace(/[^A-Za-z0-9\-._~/$&+,:;=@]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
  );
}

function goQueryEscape(s) {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** url.ParseQuery then url.Values.Encode: keys sorted, values kept in order, Go's QueryEscape. */
export function reencodeQuery(rawQuery) {
  const values = new Map();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) {
      continue;
    }
    const [k, v = ''] = pair.split(/=(.*)/s);
    let key;
    let value;
    try {
      key = decodeURIComponent(k.replace(/\+/g, ' '));
      value = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (!values.has(key)) {
      values.set(key, []);
    }
    values.get(key).push(value);
  }
  return [...values.keys()]
    .sort()
    .flatMap((key) => values.get(key).map((value) => `${goQueryEscape(key)}=${goQueryEscape(value)}`))
    .join('&');
}

/** datasource.ValidateURL for a plugin type (no URL required): adds "http://" when no scheme is given. */
export function parseDataSourceUrl(url) {
  const withScheme = /^[^:]*:\/\//.test(url) ? url : `http://${url}`;
  const match = /^([^:/?#]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(withScheme);
  if (!match) {
    throw new Error(`Invalid data source URL: ${JSON.stringify(url)}`);
  }
  return { scheme: match[1].toLowerCase(), host: match[2], path: match[3], rawQuery: match[4] ?? '' };
}

function pemBlocks(pem, type) {
  const re = new RegExp(`-----BEGIN ${type}-----[\\s\\S]*?-----END ${type}-----`, 'g');
  return String(pem).match(re) ?? [];
}

/**
 * TLS options of a data source (dsTLSOptions + the SDK's GetTLSConfig), as options of a Node https.Agent.
 * Throws when a PEM block does not parse, which the proxy answers with 400.
 */
export function dataSourceTlsOptions(ds) {
  const json = ds.jsonData ?? {};
  const secure = ds.secureJsonData ?? {};
  const options = { rejectUnauthorized: json.tlsSkipVerify !== true };
  if (typeof json.serverName === 'string' && json.serverName !== '') {
    options.servername = json.serverName;
  }
  if (json.tlsAuthWithCACert === true && secure.tlsCACert) {
    const certs = pemBlocks(secure.tlsCACert, 'CERTIFICATE').filter((block) => {
      try {
        new crypto.X509Certificate(block);
        return true;
      } catch {
        return false;
      }
    });
    if (certs.length === 0) {
      throw new Error('failed to parse TLS CA PEM certificate');
    }
    options.ca = certs;
  }
  if (json.tlsAuth === true && secure.tlsClientCert && secure.tlsClientKey) {
    try {
      const cert = new crypto.X509Certificate(pemBlocks(secure.tlsClientCert, 'CERTIFICATE')[0] ?? '');
      const key = crypto.createPrivateKey(secure.tlsClientKey);
      if (!cert.checkPrivateKey(key)) {
        throw new Error('private key does not match public key');
      }
    } catch (error) {
      throw new Error(`tls: ${error.message}`);
    }
    options.cert = secure.tlsClientCert;
    options.key = secure.tlsClientKey;
  }
  return options;
}

/** The route Grafana would apply, or undefined (validateRequest). */
export function matchRoute(routes, method, proxyPath) {
  const requested = cleanRelativePath(proxyPath);
  return routes.find((route) => {
    if (route.method && route.method !== '*' && route.method !== method) {
      return false;
    }
    return requested.startsWith(cleanRelativePath(route.path ?? ''));
  });
}

/** A short fingerprint of a bearer token, so that logs can tell identities apart without holding secrets. */
export function tokenFingerprint(authorization) {
  if (authorization === undefined) {
    return undefined;
  }
  if (authorization === '') {
    return '';
  }
  return `${authorization.split(' ')[0]} sha256:${crypto
    .createHash('sha256')
    .update(authorization.replace(/^Bearer /, ''))
    .digest('hex')
    .slice(0, 12)}`;
}

function filterCookies(cookieHeader, keepCookies) {
  if (!cookieHeader) {
    return undefined;
  }
  const keep = Array.isArray(keepCookies) ? keepCookies : [];
  const kept = cookieHeader
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
    .filter((c) => {
      const name = c.split('=')[0];
      return name !== GRAFANA_SESSION_COOKIE && keep.includes(name);
    });
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/**
 * Builds the outgoing request of Grafana's director for one proxied call. Pure apart from logging.
 * Returns `{target: {scheme, host, path, rawQuery}, headers, route, notes}`.
 */
export function directRequest({ ds, routes, method, proxyPath, rawQuery, headers: incoming, clientIp, userAgent }) {
  const notes = [];
  const targetUrl = parseDataSourceUrl(ds.url ?? '');
  const route = matchRoute(routes, method, proxyPath);
  const target = {
    scheme: targetUrl.scheme,
    host: targetUrl.host,
    path: joinURLFragments(targetUrl.path, proxyPath), // RawPath: sent as is when no route url replaces it
    rawQuery,
  };
  const headers = {};
  for (const [name, value] of Object.entries(incoming)) {
    headers[name.toLowerCase()] = value;
  }
  // wrapDirector: the caller's own credentials never go upstream.
  delete headers.authorization;
  delete headers.host;
  const connectionListed = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP, ...connectionListed]) {
    delete headers[name];
  }

  const json = ds.jsonData ?? {};
  const secure = ds.secureJsonData ?? {};
  if (ds.basicAuth) {
    headers.authorization = `Basic ${Buffer.from(`${ds.basicAuthUser ?? ''}:${secure.basicAuthPassword ?? ''}`).toString('base64')}`;
  }
  if (headers['x-ds-authorization']) {
    headers.authorization = headers['x-ds-authorization'];
    delete headers['x-ds-authorization'];
  }
  delete headers['x-grafana-user'];
  const cookies = filterCookies(headers.cookie, json.keepCookies);
  if (cookies) {
    headers.cookie = cookies;
  } else {
    delete headers.cookie;
  }
  headers['user-agent'] = userAgent;

  if (route) {
    const rest = proxyPath.startsWith(route.path) ? proxyPath.slice(route.path.length) : proxyPath;
    const data = { JsonData: json, SecureJsonData: secure };
    const render = (text, what) => {
      try {
        return { ok: true, value: interpolateString(text, data) };
      } catch (error) {
        if (error instanceof TemplateUnsupportedError) {
          throw error;
        }
        const kind = error instanceof TemplateSyntaxError ? 'could not parse template' : 'failed to execute template';
        notes.push(`${what}: ${kind} (${error.message}); Grafana logs this and goes on`);
        if (!(error instanceof TemplateSyntaxError || error instanceof TemplateExecError)) {
          throw error;
        }
        return { ok: false };
      }
    };
    // ApplyRoute: only a url that does not render or parse ends it; the other steps log their failure and go on.
    applyRoute: {
      if (route.url) {
        const rendered = render(route.url, 'Error interpolating proxy url');
        if (!rendered.ok) {
          break applyRoute;
        }
        let routeUrl;
        try {
          routeUrl = parseDataSourceUrl(rendered.value);
          if (!/^[^:]*:\/\//.test(rendered.value)) {
            // url.Parse of a URL without scheme yields only a path.
            routeUrl = { scheme: '', host: '', path: rendered.value.split('?')[0] };
          }
        } catch {
          notes.push('Error parsing plugin route url');
          break applyRoute;
        }
        target.scheme = routeUrl.scheme;
        target.host = routeUrl.host;
        // req.URL.Path is replaced, so Go escapes it again (RawPath no longer matches).
        target.path = goEscapePath(joinURLFragments(routeUrl.path, rest));
      }
      // addQueryString: all params or none; the query is re-encoded only when every param rendered.
      const params = [];
      for (const param of route.urlParams ?? []) {
        const name = render(param.name, 'Failed to render plugin URL query string');
        const content = name.ok ? render(param.content, 'Failed to render plugin URL query string') : name;
        if (!content.ok) {
          params.length = 0;
          params.failed = true;
          break;
        }
        params.push(`${goQueryEscape(name.value)}=${goQueryEscape(content.value)}`);
      }
      if (!params.failed) {
        target.rawQuery = reencodeQuery([target.rawQuery, ...params].filter(Boolean).join('&'));
      }
      // addHeaders: set in order until the first that fails.
      for (const header of route.headers ?? []) {
        const content = render(header.content, 'Failed to render plugin headers');
        if (!content.ok) {
          break;
        }
        headers[header.name.toLowerCase()] = content.value;
      }
      if (route.body || route.tokenAuth || route.jwtTokenAuth) {
        throw new TemplateUnsupportedError('stand-in: route body/tokenAuth/jwtTokenAuth are not implemented');
      }
    }
  }

  // PrepareProxyRequest
  if (headers.referer) {
    headers['x-grafana-referer'] = headers.referer;
  }
  for (const name of ['origin', 'referer', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto']) {
    delete headers[name];
  }
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${clientIp}` : clientIp;
  // Data source custom headers (middleware, every request).
  for (let n = 1; json[`httpHeaderName${n}`] !== undefined; n++) {
    headers[String(json[`httpHeaderName${n}`]).toLowerCase()] = secure[`httpHeaderValue${n}`] ?? '';
  }
  return { target, headers, route, notes };
}

function jsonError(res, status, message) {
  const body = JSON.stringify({ message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The three waits of the data proxy in milliseconds: jsonData.timeout wins over [dataproxy] timeout. */
/** How often Grafana's data source proxy flushes a streamed body (ds_proxy.go, ReverseProxy.FlushInterval). */
export const FLUSH_INTERVAL_MS = 200;

/**
 * Go's copyResponse with a maxLatencyWriter: a first timer flushes the headers even if the body is slow to come;
 * writes are buffered, the first write after a flush arms a timer, and when it fires everything buffered goes out in
 * one write. The end of the body flushes what is left and ends the response.
 */
export function flushEvery200ms(from, to, intervalMs = FLUSH_INTERVAL_MS) {
  let buffered = [];
  // `writeHead` only queues the headers (Node's `headersSent` is already true then): they go out with the first write.
  let wroteAny = false;
  const flush = () => {
    timer = undefined;
    if (buffered.length > 0) {
      to.write(Buffer.concat(buffered));
      buffered = [];
      wroteAny = true;
    } else if (!wroteAny) {
      to.flushHeaders();
      wroteAny = true;
    }
  };
  let timer = setTimeout(flush, intervalMs);
  from.on('data', (chunk) => {
    buffered.push(chunk);
    timer ??= setTimeout(flush, intervalMs);
  });
  let ended = false;
  from.on('end', () => {
    ended = true;
    clearTimeout(timer);
    flush();
    to.end();
  });
  // An upstream that breaks off (an API server killed under a watch) aborts the answer, as the ReverseProxy's
  // ErrAbortHandler does: the client sees the stream break rather than hang.
  from.on('close', () => {
    if (!ended) {
      clearTimeout(timer);
      to.destroy();
    }
  });
  to.on('close', () => clearTimeout(timer));
}

export function proxyTimeouts(ds, dataproxy = DATAPROXY_DEFAULTS) {
  const timeout = Number(ds.jsonData?.timeout) > 0 ? Number(ds.jsonData.timeout) : dataproxy.timeoutSeconds;
  return {
    responseHeaderMs: timeout * 1000,
    dialMs: dataproxy.dialTimeoutSeconds * 1000,
    tlsHandshakeMs: dataproxy.tlsHandshakeTimeoutSeconds * 1000,
  };
}

/** An error the proxy's errorHandler treats as a timeout (Go's `Timeout() bool`). */
function timeoutError(message) {
  const error = new Error(message);
  error.timeout = true;
  return error;
}

/**
 * Proxies one request for `user` ({login, role}). `log(entry)` receives one JSON-able line per request: what was
 * forwarded where, with which Authorization (fingerprint only) and what came back. `dataproxy` holds the
 * [dataproxy] timeouts in seconds.
 */
export function proxyRequest({ req, res, ds, plugin, proxyPath, rawQuery, userAgent, log, user, dataproxy }) {
  const entry = {
    time: new Date().toISOString(),
    uid: ds.uid,
    method: req.method,
    proxyPath,
    user: user?.login,
  };
  let directed;
  try {
    directed = directRequest({
      ds,
      routes: plugin.routes,
      method: req.method,
      proxyPath,
      rawQuery,
      headers: req.headers,
      clientIp: req.socket.remoteAddress ?? '',
      userAgent,
    });
  } catch (error) {
    if (error instanceof TemplateUnsupportedError) {
      log({ ...entry, outcome: 'stand-in limitation', error: error.message });
      jsonError(res, 500, `Grafana stand-in: ${error.message}`);
      return;
    }
    log({ ...entry, outcome: 'invalid data source URL', error: error.message });
    jsonError(res, 400, `Invalid data source URL: ${JSON.stringify(ds.url ?? '')}`);
    return;
  }
  const { target, headers, route, notes } = directed;
  Object.assign(entry, {
    route: route ? { path: route.path, method: route.method ?? '' } : null,
    target: `${target.scheme}://${target.host}${target.path}${target.rawQuery ? `?${target.rawQuery}` : ''}`,
    authorization: tokenFingerprint(headers.authorization),
    notes: notes.length > 0 ? notes : undefined,
  });
  if (route?.reqAction) {
    log({ ...entry, outcome: 'stand-in limitation', error: 'route reqAction is not implemented' });
    jsonError(res, 500, 'Grafana stand-in: route reqAction is not implemented');
    return;
  }
  if (route?.reqRole && !roleIncludes(user?.role, route.reqRole)) {
    req.resume();
    log({ ...entry, outcome: 'route access denied', status: 403 });
    jsonError(res, 403, ROUTE_ACCESS_DENIED);
    return;
  }

  let tls;
  try {
    tls = dataSourceTlsOptions(ds);
  } catch (error) {
    log({ ...entry, outcome: 'tls error', error: error.message, status: 400 });
    jsonError(res, 400, TLS_LOAD_FAILED_MESSAGE);
    return;
  }
  const transportError = (error) => {
    const status = error.timeout ? 504 : 502;
    log({ ...entry, outcome: 'transport error', error: error.message, status });
    if (!res.headersSent) {
      res.writeHead(status, { 'Content-Length': 0 });
    }
    res.end();
  };
  if (!target.host) {
    req.resume();
    transportError(new Error('http: no Host in request URL'));
    return;
  }
  if (target.scheme !== 'http' && target.scheme !== 'https') {
    req.resume();
    transportError(new Error(`unsupported protocol scheme "${target.scheme}"`));
    return;
  }
  const client = target.scheme === 'https' ? https : http;
  const [hostname, port] = target.host.startsWith('[')
    ? [target.host.slice(1, target.host.indexOf(']')), target.host.split(']:')[1]]
    : target.host.split(':');
  const timeouts = proxyTimeouts(ds, dataproxy);
  headers.host = target.host;
  const upstream = client.request({
    hostname,
    port: port || (target.scheme === 'https' ? 443 : 80),
    method: req.method,
    path: `${target.path || '/'}${target.rawQuery ? `?${target.rawQuery}` : ''}`,
    headers,
    ...(target.scheme === 'https' ? tls : {}),
    agent: false,
  });
  const timers = new Set();
  const after = (ms, error) => {
    const timer = setTimeout(() => upstream.destroy(error), ms);
    timers.add(timer);
    return () => {
      clearTimeout(timer);
      timers.delete(timer);
    };
  };
  const clearTimers = () => timers.forEach((timer) => clearTimeout(timer));
  // Dial, then the TLS handshake, then the response headers, each with its own limit.
  upstream.on('socket', (socket) => {
    const dialed = after(timeouts.dialMs, timeoutError(`dial tcp ${target.host}: i/o timeout`));
    socket.once('connect', () => {
      dialed();
      if (target.scheme !== 'https') {
        after(timeouts.responseHeaderMs, timeoutError('net/http: timeout awaiting response headers'));
        return;
      }
      const shaken = after(timeouts.tlsHandshakeMs, timeoutError('net/http: TLS handshake timeout'));
      socket.once('secureConnect', () => {
        shaken();
        after(timeouts.responseHeaderMs, timeoutError('net/http: timeout awaiting response headers'));
      });
    });
  });
  upstream.on('error', (error) => {
    clearTimers();
    transportError(error);
  });
  upstream.on('response', (response) => {
    clearTimers();
    const status = response.statusCode ?? 502;
    if (status === 401) {
      response.resume();
      log({ ...entry, status: 401, answered: 400 });
      // Replaced by a response with no header of its own; the proxy's modifyResponse then adds the CSP header.
      res.writeHead(400, {
        'Content-Security-Policy': 'sandbox',
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(AUTH_FAILED_MESSAGE),
      });
      res.end(AUTH_FAILED_MESSAGE);
      return;
    }
    const out = { ...response.headers };
    const listed = String(out.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    for (const name of [...HOP_BY_HOP, ...listed, 'set-cookie']) {
      delete out[name];
    }
    out['content-security-policy'] = 'sandbox';
    log({ ...entry, status });
    res.writeHead(status, out);
    flushEvery200ms(response, res);
  });
  res.on('close', () => {
    if (!res.writableFinished) {
      upstream.destroy();
    }
  });
  req.pipe(upstream);
}
