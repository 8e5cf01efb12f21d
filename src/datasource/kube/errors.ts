import type { Status } from 'kubernetes-types/meta/v1';

import { secondsText } from './deadline';
import { ARGO_GROUP } from './resources';

export type KubeErrorKind =
  | 'unreachable'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'crdMissing'
  | 'invalidRequest'
  | 'badResponse'
  | 'server'
  | 'timeout'
  | 'tooManyRequests'
  | 'expired'
  | 'cancelled';

export interface KubeErrorInit {
  kind: KubeErrorKind;
  message: string;
  /** HTTP status seen by the browser, when there was one. */
  status?: number;
  /** Kubernetes path of the request (without the data source proxy prefix). */
  path?: string;
  /** What the server said: the Kubernetes Status message, or an excerpt of the body. */
  detail?: string;
  /** The Kubernetes Status object, when the body was one. */
  kubeStatus?: Status;
  /** How many times the request was sent, when it was retried. */
  attempts?: number;
}

/** Every failure of the kube client: `kind` for code, `message` for people (it says what to do). */
export class KubeError extends Error {
  readonly kind: KubeErrorKind;
  readonly status?: number;
  readonly path?: string;
  readonly detail?: string;
  readonly kubeStatus?: Status;
  readonly attempts?: number;

  constructor(init: KubeErrorInit) {
    super(init.message);
    Object.setPrototypeOf(this, KubeError.prototype);
    this.name = 'KubeError';
    this.kind = init.kind;
    this.status = init.status;
    this.path = init.path;
    this.detail = init.detail;
    this.kubeStatus = init.kubeStatus;
    this.attempts = init.attempts;
  }
}

export function isKubeError(value: unknown): value is KubeError {
  return value instanceof KubeError;
}

export function cancelledError(path?: string): KubeError {
  return new KubeError({ kind: 'cancelled', message: 'The request to the Kubernetes API was cancelled.', path });
}

/** What the browser got back for a failed request, reduced to what classification needs. */
export interface HttpFailure {
  /** Undefined when no HTTP answer arrived at all (network failure between browser and Grafana). */
  status?: number;
  /** Parsed JSON when the body was JSON, else the text. */
  data?: unknown;
  /** Set when no answer came in time: how long was waited, and whether the request timeout or the deadline ended it. */
  timedOut?: { afterMs: number; limit: 'request' | 'deadline' };
}

/** What the client was doing, so that messages can name it. */
export interface RequestContext {
  path: string;
  /** Kubernetes verb: list, get, create. */
  verb: string;
  /** e.g. `rollouts.argoproj.io`; absent for discovery and /version. */
  resource?: string;
  namespace?: string;
}

/** A request that was not sent because the query had no time left. */
export function deadlinePassedError(context: RequestContext, deadlineSeconds: number): KubeError {
  return new KubeError({
    kind: 'timeout',
    message:
      `The query deadline of ${deadlineSeconds} s (a data source setting) passed before ` +
      `${describeRequest(context)} could be sent: the requests before it took all the time. Check the API ` +
      "server's load, or raise the query deadline.",
    path: context.path,
  });
}

/** Grafana's data source proxy replaces an upstream 401 with this 400 body. */
const GRAFANA_AUTH_FAILED = 'Authentication to data source failed';
/** Grafana's data source proxy answers 400 with this message when the TLS PEM blocks do not parse. */
const GRAFANA_TLS_LOAD_FAILED = 'Unable to load TLS certificate';

/** What the request was, for messages: `list rollouts.argoproj.io in all namespaces (GET /apis/...)`. */
export function describeRequest(context: RequestContext): string {
  const method = context.verb === 'create' ? 'POST' : 'GET';
  if (!context.resource) {
    return `${method} ${context.path}`;
  }
  const scope = context.namespace
    ? ` in namespace "${context.namespace}"`
    : context.verb === 'list'
      ? ' in all namespaces'
      : '';
  return `${context.verb} ${context.resource}${scope} (${method} ${context.path})`;
}

const CHECK_CONNECTION =
  'Check the API server URL (the `server:` of your kubeconfig cluster, e.g. https://host:6443), that ' +
  "Grafana's server can reach it, and the TLS settings: the CA certificate, the TLS server name, or " +
  'skip TLS verify for a test cluster only.';

export function isKubernetesStatus(data: unknown): data is Status {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'Status';
}

export function looksLikeHtml(data: unknown): boolean {
  return typeof data === 'string' && /^\s*(<!doctype html|<html|<head|<body|<\?xml|<)/i.test(data);
}

/** A short, single-line excerpt of a body for error details. */
export function bodyExcerpt(data: unknown, max = 200): string | undefined {
  if (data === undefined || data === null || data === '') {
    return undefined;
  }
  const text = typeof data === 'string' ? data : safeJson(data);
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function safeJson(data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch {
    return String(data);
  }
}

function messageOf(data: unknown): string | undefined {
  if (typeof data === 'string') {
    return data;
  }
  if (typeof data === 'object' && data !== null) {
    const message = (data as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}

/** A body that is neither JSON from Kubernetes nor empty: say what it looks like. */
export function notKubernetesError(data: unknown, context: RequestContext, status?: number): KubeError {
  const what = looksLikeHtml(data)
    ? 'it answered with an HTML page'
    : typeof data === 'string'
      ? 'it answered with plain text instead of Kubernetes JSON'
      : 'its answer is not a Kubernetes object';
  return new KubeError({
    kind: 'badResponse',
    message:
      `The URL does not look like a Kubernetes API server: ${what}${status ? ` (HTTP ${status})` : ''} for ` +
      `${context.path}. Set the API server URL to the address kubectl uses (the \`server:\` of your kubeconfig ` +
      'cluster, e.g. https://host:6443), without a path.',
    status,
    path: context.path,
    detail: bodyExcerpt(data),
  });
}

/** How to grant read access with the manifests in deploy/, for one namespace or cluster-wide. */
export function rbacGrantAdvice(namespace?: string): string {
  return namespace
    ? `Grant it with the read-only ClusterRole from deploy/ bound by a RoleBinding in "${namespace}" ` +
        '(or by a ClusterRoleBinding for every namespace), or with the namespaced Role variant from deploy/.'
    : 'Grant it with a ClusterRoleBinding to the read-only ClusterRole from deploy/, or, if this identity may ' +
        'only read some namespaces, list them as default namespaces of the data source.';
}

export interface ForbiddenParts {
  user?: string;
  verb?: string;
  resource?: string;
  group?: string;
  namespace?: string;
  clusterScope: boolean;
}

/**
 * Reads the authorizer's sentence, e.g. `rollouts.argoproj.io is forbidden: User "x" cannot list resource
 * "rollouts" in API group "argoproj.io" in the namespace "payments"`. Missing parts stay undefined.
 */
export function parseForbiddenMessage(message: string): ForbiddenParts {
  const match =
    /User "([^"]*)" cannot ([\w*]+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(
      message
    );
  return {
    user: match?.[1],
    verb: match?.[2],
    resource: match?.[3],
    group: match?.[4],
    namespace: match?.[5],
    clusterScope: /at the cluster scope/.test(message),
  };
}

function forbiddenError(data: unknown, context: RequestContext, status: number): KubeError {
  const kubeStatus = isKubernetesStatus(data) ? data : undefined;
  const serverMessage = kubeStatus?.message ?? messageOf(data) ?? '';
  const parts = parseForbiddenMessage(serverMessage);
  if (!kubeStatus && !parts.user) {
    return new KubeError({
      kind: 'forbidden',
      message:
        `Access was denied (HTTP 403) for ${context.path} before it reached Kubernetes` +
        `${serverMessage ? `: ${serverMessage}` : ''}. Check that your Grafana role may query this data source.`,
      status,
      path: context.path,
      detail: bodyExcerpt(data),
    });
  }
  const group = parts.group ?? kubeStatus?.details?.group ?? '';
  const plural = parts.resource ?? kubeStatus?.details?.kind;
  const resource = plural ? (group ? `${plural}.${group}` : plural) : (context.resource ?? context.path);
  const verb = parts.verb ?? context.verb;
  const namespace = parts.namespace ?? (parts.clusterScope ? undefined : context.namespace);
  const who = parts.user ? `"${parts.user}"` : 'the identity of this data source';
  const where = namespace ? `in namespace "${namespace}"` : 'across all namespaces (cluster scope)';
  return new KubeError({
    kind: 'forbidden',
    message: `Kubernetes RBAC does not allow ${who} to ${verb} ${resource} ${where}. ${rbacGrantAdvice(namespace)}`,
    status,
    path: context.path,
    detail: serverMessage || undefined,
    kubeStatus,
  });
}

/** Turns a failed HTTP exchange into a KubeError whose message says what to do. Pure. */
export function classifyFailure(failure: HttpFailure, context: RequestContext): KubeError {
  const { status, data } = failure;
  const kubeStatus = isKubernetesStatus(data) ? data : undefined;
  const serverMessage = kubeStatus?.message ?? messageOf(data);
  const base = { status, path: context.path, detail: serverMessage ?? bodyExcerpt(data), kubeStatus };

  if (failure.timedOut) {
    const { afterMs, limit } = failure.timedOut;
    return new KubeError({
      ...base,
      kind: 'timeout',
      message:
        `The Kubernetes API server did not answer ${describeRequest(context)} within ${secondsText(afterMs)}` +
        `${limit === 'request' ? ', the request timeout of this data source' : ''}. Check that the API server ` +
        "is up and that Grafana's server can reach it; a very large list may need a higher request timeout and " +
        'query deadline (data source settings), or a narrower query (fewer namespaces, a label selector).',
    });
  }
  if (status === undefined || status === 0) {
    return new KubeError({
      ...base,
      kind: 'unreachable',
      message:
        "The browser could not get an answer from Grafana's data source proxy (network error). Check the " +
        'connection to Grafana and try again.',
    });
  }
  if (status === 401 || (status === 400 && messageOf(data)?.trim() === GRAFANA_AUTH_FAILED)) {
    return new KubeError({
      ...base,
      kind: 'unauthorized',
      message:
        'The API server rejected the token (HTTP 401, which Grafana reports as "Authentication to data source ' +
        'failed"): it is wrong, expired, revoked or belongs to another cluster. Create a new ServiceAccount ' +
        'token (see deploy/) and paste it into the data source settings; with client certificates, check that ' +
        'the certificate is signed by the cluster CA and not expired.',
    });
  }
  if (status === 400 && messageOf(data)?.startsWith(GRAFANA_TLS_LOAD_FAILED)) {
    return new KubeError({
      ...base,
      kind: 'tls',
      message:
        'Grafana could not load the TLS certificates of this data source. Paste the CA certificate, and the ' +
        'client certificate and key if you use them, again as complete PEM blocks (-----BEGIN ...-----).',
    });
  }
  if ((status === 502 || status === 504) && !kubeStatus) {
    return status === 502
      ? new KubeError({
          ...base,
          kind: 'unreachable',
          message:
            'Grafana could not connect to the Kubernetes API server, or could not verify its TLS certificate (HTTP ' +
            `502 Bad Gateway), for ${describeRequest(context)}. Grafana's data source proxy answers such failures ` +
            'with an empty 502; its server log names the cause in a "Proxy request failed" line: "connection ' +
            'refused" when nothing listens at the URL (the API server is down, or the URL is wrong), "x509: ' +
            'certificate signed by unknown authority" when the CA certificate of this data source did not sign the ' +
            `API server's certificate. ${CHECK_CONNECTION}`,
        })
      : new KubeError({
          ...base,
          kind: 'timeout',
          message:
            `The Kubernetes API server did not answer ${describeRequest(context)} in time (HTTP 504 Gateway ` +
            "Timeout from Grafana's data source proxy, which waits 10 s to connect and for the TLS handshake, then " +
            '30 s for the answer unless its Timeout is set). Keep the ' +
            'request timeout of this data source below that Timeout (Time limits, in its settings), so that the ' +
            `plugin gives up first and can retry. ${CHECK_CONNECTION}`,
        });
  }
  if (status === 403) {
    return forbiddenError(data, context, status);
  }
  if (status === 404 && (context.path.startsWith(`/apis/${ARGO_GROUP}/`) || context.path === `/apis/${ARGO_GROUP}`)) {
    return new KubeError({
      ...base,
      kind: 'crdMissing',
      message:
        `This cluster does not serve the ${ARGO_GROUP} API (HTTP 404 for ${context.path}): the Argo Rollouts ` +
        'CRDs are not installed. Install Argo Rollouts in this cluster, or point the data source at the cluster ' +
        'that runs it.',
    });
  }
  if (!kubeStatus && (looksLikeHtml(data) || status === 404)) {
    return notKubernetesError(data, context, status);
  }
  if (status === 404) {
    return new KubeError({
      ...base,
      kind: 'notFound',
      message: `The API server has nothing at ${context.path} (HTTP 404)${serverMessage ? `: ${serverMessage}` : ''}.`,
    });
  }
  if (status === 410) {
    return new KubeError({
      ...base,
      kind: 'expired',
      message:
        'The list changed faster than it could be read page by page (HTTP 410, the continue token expired). ' +
        'Try again; if it keeps happening, narrow the query to fewer namespaces or a label selector.',
    });
  }
  if (status === 429) {
    return new KubeError({
      ...base,
      kind: 'tooManyRequests',
      message:
        `The Kubernetes API server is throttling this identity (HTTP 429 Too Many Requests) for ` +
        `${describeRequest(context)}. Refresh dashboards less often or use fewer panels; a cluster admin can ` +
        'check API Priority and Fairness (the FlowSchema and PriorityLevelConfiguration that match this ' +
        "data source's identity).",
    });
  }
  if (status === 504 || kubeStatus?.reason === 'Timeout') {
    return new KubeError({
      ...base,
      kind: 'timeout',
      message: `The Kubernetes API server timed out (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}. Try again.`,
    });
  }
  if (status >= 500) {
    return new KubeError({
      ...base,
      kind: 'server',
      message:
        `The Kubernetes API server failed (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}. Try again ` +
        'later; if it persists, a cluster admin should check the API server.',
    });
  }
  if (status >= 400) {
    return new KubeError({
      ...base,
      kind: 'invalidRequest',
      message:
        `The request was rejected (HTTP ${status})${serverMessage ? `: ${serverMessage}` : ''}. Check the label ` +
        'selector, the namespaces and the other filters of the query.',
    });
  }
  return notKubernetesError(data, context, status);
}
