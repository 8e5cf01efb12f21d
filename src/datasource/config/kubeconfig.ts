import { parseDocument } from 'yaml';

import { apiServerUrlProblem, normalizeApiServerUrl } from './apiServerUrl';

/**
 * Reads a pasted kubeconfig (clientcmd `Config`) and turns one of its contexts into data source settings.
 * Only inline data can be imported: a browser can neither read files nor run credential plugins.
 */

type YamlMap = Record<string, unknown>;

export interface KubeconfigContextSummary {
  name: string;
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  contexts: KubeconfigContextSummary[];
  /** `current-context`, when it names one of `contexts`. */
  currentContext?: string;
  clusters: ReadonlyMap<string, YamlMap>;
  users: ReadonlyMap<string, YamlMap>;
}

export type KubeconfigParseResult = { ok: true; kubeconfig: Kubeconfig } | { ok: false; message: string };

export type ImportedAuth =
  | { method: 'token'; token: string }
  | { method: 'clientCert'; clientCert: string; clientKey: string }
  | { method: 'none' };

export interface ImportedConnection {
  contextName: string;
  apiServerUrl: string;
  clusterName: string;
  tlsSkipVerify: boolean;
  serverName?: string;
  /** PEM; undefined means the system CAs. */
  caCert?: string;
  auth: ImportedAuth;
  /** Things the user should know that did not stop the import. */
  notes: string[];
}

export type ContextImportResult = { ok: true; connection: ImportedConnection } | { ok: false; problems: string[] };

const NOT_A_KUBECONFIG =
  'This is not a kubeconfig: it needs "clusters" and "contexts" lists. `kubectl config view --raw --minify --flatten` prints one.';
const USE_SERVICE_ACCOUNT =
  'Use a ServiceAccount token instead: the deploy/ manifests (see the README) create a read-only one.';

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(map: YamlMap, key: string): string | undefined {
  const value = map[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Entries of a kubeconfig list (`- name: x` + `cluster:`/`user:`/`context:`), first one wins per name. */
function namedEntries(list: unknown, field: string): Map<string, YamlMap> {
  const entries = new Map<string, YamlMap>();
  if (!Array.isArray(list)) {
    return entries;
  }
  for (const item of list) {
    if (!isMap(item)) {
      continue;
    }
    const name = stringField(item, 'name');
    if (name !== undefined && !entries.has(name)) {
      entries.set(name, isMap(item[field]) ? item[field] : {});
    }
  }
  return entries;
}

export function parseKubeconfig(text: string): KubeconfigParseResult {
  let root: unknown;
  try {
    const document = parseDocument(text);
    if (document.errors.length > 0) {
      const firstLine = document.errors[0].message.split('\n')[0];
      return { ok: false, message: `This is not valid YAML: ${firstLine}` };
    }
    root = document.toJS();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, message: `This is not valid YAML: ${reason}` };
  }
  if (!isMap(root)) {
    return { ok: false, message: NOT_A_KUBECONFIG };
  }
  const kind = stringField(root, 'kind');
  if (kind !== undefined && kind !== 'Config') {
    return { ok: false, message: `This is a Kubernetes ${kind}, not a kubeconfig (kind: Config).` };
  }
  if (!Array.isArray(root.clusters) || !Array.isArray(root.contexts)) {
    return { ok: false, message: NOT_A_KUBECONFIG };
  }
  const contexts = Array.from(namedEntries(root.contexts, 'context'), ([name, context]) => ({
    name,
    cluster: stringField(context, 'cluster'),
    user: stringField(context, 'user'),
    namespace: stringField(context, 'namespace'),
  }));
  if (contexts.length === 0) {
    return { ok: false, message: 'This kubeconfig has no contexts to import.' };
  }
  const current = stringField(root, 'current-context');
  return {
    ok: true,
    kubeconfig: {
      contexts,
      currentContext: contexts.some((context) => context.name === current) ? current : undefined,
      clusters: namedEntries(root.clusters, 'cluster'),
      users: namedEntries(root.users, 'user'),
    },
  };
}

/** The context to preselect: `current-context`, else the first one. */
export function defaultContextName(kubeconfig: Kubeconfig): string {
  return kubeconfig.currentContext ?? kubeconfig.contexts[0].name;
}

/** Decodes a `*-data` field (base64 of PEM); undefined when it is not base64-encoded PEM. */
export function decodePemData(base64: string): string | undefined {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return undefined;
  }
  let decoded: string;
  try {
    decoded = atob(compact);
  } catch {
    return undefined;
  }
  return /-----BEGIN [A-Z0-9 ]+-----/.test(decoded) ? decoded : undefined;
}

function flattenHint(contextName: string): string {
  return `Run \`kubectl config view --raw --minify --flatten --context ${contextName}\` to embed the file contents, and paste its output.`;
}

interface TlsImport {
  apiServerUrl?: string;
  tlsSkipVerify: boolean;
  serverName?: string;
  caCert?: string;
}

function importCluster(
  name: string,
  cluster: YamlMap,
  contextName: string,
  problems: string[],
  notes: string[]
): TlsImport {
  const result: TlsImport = {
    tlsSkipVerify: cluster['insecure-skip-tls-verify'] === true,
    serverName: stringField(cluster, 'tls-server-name'),
  };
  const server = stringField(cluster, 'server');
  if (server === undefined) {
    problems.push(`Cluster "${name}" has no server URL.`);
  } else {
    // The URL itself is not repeated: it could carry a user name and password.
    const problem = apiServerUrlProblem(server);
    if (problem !== undefined) {
      problems.push(`The server URL of cluster "${name}" cannot be used. ${problem}`);
    } else {
      result.apiServerUrl = normalizeApiServerUrl(server);
    }
  }

  const caData = stringField(cluster, 'certificate-authority-data');
  const caFile = stringField(cluster, 'certificate-authority');
  if (caData !== undefined) {
    result.caCert = decodePemData(caData);
    if (result.caCert === undefined) {
      problems.push(`The certificate-authority-data of cluster "${name}" is not a base64-encoded PEM certificate.`);
    }
  } else if (caFile !== undefined) {
    problems.push(
      `Cluster "${name}" reads its CA certificate from the file ${caFile}, which a browser cannot read. ${flattenHint(contextName)}`
    );
  }

  const proxyUrl = stringField(cluster, 'proxy-url');
  if (proxyUrl !== undefined) {
    notes.push(`Cluster "${name}" sets proxy-url: Grafana's data source proxy does not use it and connects directly.`);
  }
  return result;
}

function importUser(
  name: string,
  user: YamlMap,
  contextName: string,
  problems: string[],
  notes: string[]
): ImportedAuth {
  const before = problems.length;
  if (user.exec !== undefined) {
    const command = isMap(user.exec) ? stringField(user.exec, 'command') : undefined;
    const what = command !== undefined ? ` (${command})` : '';
    problems.push(
      `User "${name}" gets its credentials by running a command${what} (exec), which a browser-side data source cannot do. ${USE_SERVICE_ACCOUNT}`
    );
  }
  if (user['auth-provider'] !== undefined) {
    const provider = isMap(user['auth-provider']) ? stringField(user['auth-provider'], 'name') : undefined;
    const what = provider !== undefined ? ` "${provider}"` : '';
    problems.push(
      `User "${name}" uses the auth-provider plugin${what}, which a browser-side data source cannot run. ${USE_SERVICE_ACCOUNT}`
    );
  }
  if (stringField(user, 'username') !== undefined || stringField(user, 'password') !== undefined) {
    problems.push(
      `User "${name}" uses basic authentication (username and password), which is not supported. ${USE_SERVICE_ACCOUNT}`
    );
  }
  if (user.as !== undefined || user['as-groups'] !== undefined || user['as-uid'] !== undefined) {
    problems.push(`User "${name}" impersonates another identity (as), which is not supported. ${USE_SERVICE_ACCOUNT}`);
  }

  const token = stringField(user, 'token');
  const tokenFile = stringField(user, 'tokenFile');
  if (token === undefined && tokenFile !== undefined) {
    problems.push(
      `User "${name}" reads its token from the file ${tokenFile}, which a browser cannot read. Paste the token under Bearer token instead.`
    );
  }

  const certData = stringField(user, 'client-certificate-data');
  const keyData = stringField(user, 'client-key-data');
  const certFile = stringField(user, 'client-certificate');
  const keyFile = stringField(user, 'client-key');
  if (certData === undefined && certFile !== undefined) {
    problems.push(
      `User "${name}" reads its client certificate from the file ${certFile}, which a browser cannot read. ${flattenHint(contextName)}`
    );
  }
  if (keyData === undefined && keyFile !== undefined) {
    problems.push(
      `User "${name}" reads its client key from the file ${keyFile}, which a browser cannot read. ${flattenHint(contextName)}`
    );
  }
  const clientCert = certData === undefined ? undefined : decodePemData(certData);
  const clientKey = keyData === undefined ? undefined : decodePemData(keyData);
  if (certData !== undefined && clientCert === undefined) {
    problems.push(`The client-certificate-data of user "${name}" is not a base64-encoded PEM certificate.`);
  }
  if (keyData !== undefined && clientKey === undefined) {
    problems.push(`The client-key-data of user "${name}" is not a base64-encoded PEM key.`);
  }
  const hasCert = certData !== undefined || certFile !== undefined;
  const hasKey = keyData !== undefined || keyFile !== undefined;
  if (hasCert !== hasKey) {
    problems.push(
      `User "${name}" has a client ${hasCert ? 'certificate without a key' : 'key without a certificate'}.`
    );
  }

  if (problems.length > before) {
    return { method: 'none' };
  }
  if (clientCert !== undefined && clientKey !== undefined) {
    if (token !== undefined) {
      notes.push(`User "${name}" also has a token; the client certificate was imported and the token was not.`);
    }
    return { method: 'clientCert', clientCert, clientKey };
  }
  if (token !== undefined) {
    return { method: 'token', token };
  }
  notes.push(`User "${name}" has no credentials: the data source will connect anonymously.`);
  return { method: 'none' };
}

/**
 * Resolves one context into connection settings. Any part that cannot be imported makes the whole
 * import fail, so that settings are never left half replaced.
 */
export function importKubeconfigContext(kubeconfig: Kubeconfig, contextName: string): ContextImportResult {
  const context = kubeconfig.contexts.find((candidate) => candidate.name === contextName);
  if (context === undefined) {
    return { ok: false, problems: [`The kubeconfig has no context "${contextName}".`] };
  }
  const problems: string[] = [];
  const notes: string[] = [];

  const cluster = context.cluster === undefined ? undefined : kubeconfig.clusters.get(context.cluster);
  if (context.cluster === undefined) {
    problems.push(`Context "${contextName}" names no cluster.`);
  } else if (cluster === undefined) {
    problems.push(`Context "${contextName}" refers to cluster "${context.cluster}", which is not in the kubeconfig.`);
  }
  const tls =
    cluster === undefined || context.cluster === undefined
      ? undefined
      : importCluster(context.cluster, cluster, contextName, problems, notes);

  let auth: ImportedAuth = { method: 'none' };
  if (context.user === undefined) {
    notes.push(`Context "${contextName}" names no user: the data source will connect anonymously.`);
  } else {
    const user = kubeconfig.users.get(context.user);
    if (user === undefined) {
      problems.push(`Context "${contextName}" refers to user "${context.user}", which is not in the kubeconfig.`);
    } else {
      auth = importUser(context.user, user, contextName, problems, notes);
    }
  }

  if (context.namespace !== undefined) {
    notes.push(
      `Context "${contextName}" sets namespace "${context.namespace}": add it under Default namespaces if the identity can read only that namespace.`
    );
  }
  if (problems.length > 0 || tls?.apiServerUrl === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    connection: {
      contextName,
      apiServerUrl: tls.apiServerUrl,
      clusterName: contextName,
      tlsSkipVerify: tls.tlsSkipVerify,
      serverName: tls.serverName,
      caCert: tls.caCert,
      auth,
      notes,
    },
  };
}
