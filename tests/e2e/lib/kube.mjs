// Minimal Kubernetes API client for the real-stack tests: HTTPS with the test bed's CA, bearer token,
// JSON in and out, list, patch (merge / JSON patch), delete and watch. No dependencies. Every wait is bounded: a
// request fails without a complete answer within REQUEST_TIMEOUT_MS, a watch without its first answer within that
// time, and the API server ends every watch after WATCH_SECONDS (the caller resumes it).
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';

export const REQUEST_TIMEOUT_MS = 30_000;
export const WATCH_SECONDS = 60;

export class KubeError extends Error {
  constructor(method, urlPath, status, body) {
    const reason = body && typeof body === 'object' ? body.message : String(body).slice(0, 300);
    super(`${method} ${urlPath} -> ${status}: ${reason}`);
    this.status = status;
    this.body = body;
  }
}

export class KubeClient {
  /**
   * @param {{server: string, token: string, ca: string|Buffer, name?: string}} opts
   */
  constructor({ server, token, ca, name = 'kube' }) {
    this.server = new URL(server);
    this.token = token;
    this.name = name;
    this.ca = ca;
    this.agent = new https.Agent({ ca, keepAlive: true, maxSockets: 16 });
  }

  /** Client for the run directory written by tests/testbed/start.sh; identity: 'admin' or 'plugin'. */
  static fromRunDir(runDir, identity = 'admin') {
    const read = (f) => fs.readFileSync(path.join(runDir, f), 'utf8').trim();
    const tokenFile = { admin: 'admin-token', plugin: 'plugin-token', 'plugin-token-request': 'plugin-token-request' }[
      identity
    ];
    if (!tokenFile) {
      throw new Error(`unknown identity ${identity}`);
    }
    return new KubeClient({
      server: read('apiserver-url'),
      token: read(tokenFile),
      ca: read('ca.crt'),
      name: identity,
    });
  }

  /** Sends one request; resolves {status, body}. Throws KubeError on a status outside 2xx unless `allowError`. */
  request(method, urlPath, { body, contentType = 'application/json', allowError = false, token } = {}) {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { Accept: 'application/json' };
    const bearer = token === undefined ? this.token : token;
    if (bearer) {
      headers.Authorization = `Bearer ${bearer}`;
    }
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        { hostname: this.server.hostname, port: this.server.port, path: urlPath, method, headers, agent: this.agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. /readyz): keep the text
            }
            if (!allowError && (res.statusCode < 200 || res.statusCode > 299)) {
              reject(new KubeError(method, urlPath, res.statusCode, parsed));
              return;
            }
            resolve({ status: res.statusCode, body: parsed });
          });
          res.on('error', reject);
        }
      );
      const deadline = setTimeout(
        () => req.destroy(new Error(`${method} ${urlPath}: no complete answer within ${REQUEST_TIMEOUT_MS / 1000} s`)),
        REQUEST_TIMEOUT_MS
      );
      req.on('close', () => clearTimeout(deadline));
      req.on('error', reject);
      if (payload !== undefined) {
        req.write(payload);
      }
      req.end();
    });
  }

  async get(urlPath) {
    return (await this.request('GET', urlPath)).body;
  }

  /** GET that returns undefined on 404. */
  async getOptional(urlPath) {
    const res = await this.request('GET', urlPath, { allowError: true });
    if (res.status === 404) {
      return undefined;
    }
    if (res.status < 200 || res.status > 299) {
      throw new KubeError('GET', urlPath, res.status, res.body);
    }
    return res.body;
  }

  async create(urlPath, obj) {
    return (await this.request('POST', urlPath, { body: obj })).body;
  }

  /** Merge patch (the kind `kubectl argo rollouts` sends); `type: 'json'` for a JSON patch. */
  async patch(urlPath, patch, { type = 'merge' } = {}) {
    const contentType = {
      merge: 'application/merge-patch+json',
      json: 'application/json-patch+json',
      strategic: 'application/strategic-merge-patch+json',
    }[type];
    return (await this.request('PATCH', urlPath, { body: patch, contentType })).body;
  }

  async delete(urlPath) {
    return (await this.request('DELETE', urlPath, { allowError: true })).body;
  }

  /**
   * Watches a collection. `onEvent({type, object})` is called per event, in order.
   * Returns {stop(), done} where done settles when the stream ends: the API server ends it after WATCH_SECONDS,
   * and it fails when the server does not answer within REQUEST_TIMEOUT_MS.
   */
  watch(urlPath, onEvent) {
    const sep = urlPath.includes('?') ? '&' : '?';
    const fullPath = `${urlPath}${sep}watch=true&timeoutSeconds=${WATCH_SECONDS}`;
    let req;
    const done = new Promise((resolve, reject) => {
      req = https.request(
        {
          hostname: this.server.hostname,
          port: this.server.port,
          path: fullPath,
          method: 'GET',
          headers: { Accept: 'application/json', Authorization: `Bearer ${this.token}` },
          ca: this.ca,
          agent: false,
        },
        (res) => {
          clearTimeout(answered);
          if (res.statusCode !== 200) {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => reject(new KubeError('WATCH', fullPath, res.statusCode, text)));
            return;
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            buffer += chunk;
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl).trim();
              buffer = buffer.slice(nl + 1);
              if (line) {
                onEvent(JSON.parse(line));
              }
            }
          });
          res.on('end', resolve);
          res.on('error', resolve);
        }
      );
      const answered = setTimeout(
        () => req.destroy(new Error(`WATCH ${fullPath}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)),
        REQUEST_TIMEOUT_MS
      );
      req.on('close', () => clearTimeout(answered));
      req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
      req.end();
    });
    return { stop: () => req.destroy(), done };
  }

  close() {
    this.agent.destroy();
  }
}

/** API paths of the kinds the tests use. */
export const paths = {
  namespaces: () => '/api/v1/namespaces',
  namespace: (ns) => `/api/v1/namespaces/${ns}`,
  events: (ns) => (ns ? `/api/v1/namespaces/${ns}/events` : '/api/v1/events'),
  eventsV1: (ns) => (ns ? `/apis/events.k8s.io/v1/namespaces/${ns}/events` : '/apis/events.k8s.io/v1/events'),
  services: (ns) => `/api/v1/namespaces/${ns}/services`,
  pods: (ns) => `/api/v1/namespaces/${ns}/pods`,
  secrets: (ns) => (ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets'),
  replicasets: (ns) => (ns ? `/apis/apps/v1/namespaces/${ns}/replicasets` : '/apis/apps/v1/replicasets'),
  argo: (plural, ns) =>
    ns ? `/apis/argoproj.io/v1alpha1/namespaces/${ns}/${plural}` : `/apis/argoproj.io/v1alpha1/${plural}`,
  rollouts: (ns) => paths.argo('rollouts', ns),
  rollout: (ns, name) => `${paths.argo('rollouts', ns)}/${name}`,
  analysisruns: (ns) => paths.argo('analysisruns', ns),
  analysistemplates: (ns) => paths.argo('analysistemplates', ns),
  experiments: (ns) => paths.argo('experiments', ns),
};
