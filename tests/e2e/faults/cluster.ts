/**
 * What the fault checks do to the test bed besides the plugin's own requests: the admin's view of the cluster, the
 * API server's own faults (tests/testbed/apiserver.sh), the Argo Rollouts CRDs, and the API server's audit log.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { adminCall as admin, adminRequest as adminOk } from '../plugin/testbed';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const run = promisify(execFile);

export function runDir(): string {
  const dir = process.env.ROLLOUT_LENS_RUN_DIR;
  if (!dir) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  return dir;
}

/** Requests with the test bed's admin identity: `admin` resolves any status, `adminOk` rejects outside 2xx. */
export { admin, adminOk };

/** Creates an object, or replaces what a previous run left under the same name. */
export async function applyObject(collectionPath: string, object: { metadata: { name: string } }): Promise<any> {
  const created = await admin('POST', collectionPath, object);
  if (created.status === 409) {
    await adminOk('DELETE', `${collectionPath}/${object.metadata.name}`);
    await waitFor(
      `${object.metadata.name} deleted`,
      60_000,
      async () => (await admin('GET', `${collectionPath}/${object.metadata.name}`)).status === 404
    );
    return adminOk('POST', collectionPath, object);
  }
  if (created.status < 200 || created.status >= 300) {
    throw new Error(`POST ${collectionPath} -> HTTP ${created.status}: ${created.body?.message}`);
  }
  return created.body;
}

/** Polls `condition` every `intervalMs` until it holds; resolves with the milliseconds that took. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  condition: () => Promise<boolean>,
  intervalMs = 250
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) {
      return Date.now() - started;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** One gauge of the API server's /metrics, e.g. the seats of a priority level; undefined when not exported. */
export async function apiserverMetric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = String((await adminOk('GET', '/metrics')) ?? '');
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && wanted.every((label) => line.includes(label))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

export interface ApiServerAction {
  action: string;
  pid: number;
  /** For start and restart: seconds until /readyz answered ok. */
  seconds?: number;
}

/** tests/testbed/apiserver.sh: kill, start, restart (with flag overrides), pause, resume. */
export async function apiserver(action: 'kill' | 'start' | 'restart' | 'pause' | 'resume', ...flags: string[]) {
  const { stdout } = await run('bash', [path.join(REPO_ROOT, 'tests/testbed/apiserver.sh'), action, ...flags], {
    env: { ...process.env, ROLLOUT_LENS_RUN_DIR: runDir() },
    timeout: 180_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ApiServerAction;
}

/** tests/testbed/argo-crds.sh: deletes or installs the Argo Rollouts CRDs of the test bed. */
export async function argoCrds(action: 'delete' | 'install'): Promise<string> {
  const { stdout } = await run('bash', [path.join(REPO_ROOT, 'tests/testbed/argo-crds.sh'), action], {
    env: { ...process.env, ROLLOUT_LENS_RUN_DIR: runDir() },
    timeout: 180_000,
  });
  return stdout.trim();
}

export interface AuditEvent {
  user: { username: string };
  verb: string;
  requestURI: string;
  responseStatus?: { code: number };
  requestReceivedTimestamp: string;
  stage: string;
}

/** Requests of one user the API server finished since `since` (its audit log: metadata, plugin identities only). */
export function auditedRequests(username: string, since: Date): AuditEvent[] {
  const file = path.join(runDir(), 'audit', 'audit.log');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(username))
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter(
      (event) =>
        event.stage === 'ResponseComplete' &&
        event.user.username === username &&
        Date.parse(event.requestReceivedTimestamp) >= since.getTime()
    );
}
