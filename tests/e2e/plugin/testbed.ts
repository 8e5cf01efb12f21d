import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import type { DataSourceInstanceSettings } from '@grafana/data';

import { DataSource } from '../../../src/datasource/datasource';
import { KUBE_API, TEST_BED } from '../lib/components.mjs';
import { createKubeClient } from '../../../src/datasource/kube/client';
import type { ReplaceVariables } from '../../../src/datasource/query/interpolate';
import type { Category } from '../../../src/datasource/timeline';
import type { RolloutLensJsonData } from '../../../src/datasource/types';
import { requestDeadline } from './deadline';
import { PROXY_BASE_URL, proxyFetch } from './proxy-stand-in';

/** The scenarios of tests/e2e/main.mjs: each leaves its objects in namespace `e2e-<scenario>`. */
export const SCENARIOS = [
  'canary-promote',
  'canary-abort',
  'bluegreen-promote',
  'analysis-success',
  'analysis-failure',
  'rollback',
  'restart',
  'step-plugin',
  'experiment-step',
];

/**
 * The scenarios without pause steps: the oracle derives every entry of their steps category too (its rules R6-R8),
 * so their checks compare it with the plugin's.
 */
export const STEP_SCENARIOS = ['step-plugin', 'experiment-step'];

/** The categories of a scenario's entries the oracle derives whole. */
export const comparedCategories = (scenario: string): Category[] =>
  STEP_SCENARIOS.includes(scenario) ? ['lifecycle', 'analysis', 'steps'] : ['lifecycle', 'analysis'];

/** Whether an entry the oracle derives is of a category the scenario's checks compare. */
export const isCompared =
  (scenario: string) =>
  (entry: { category: string }): boolean =>
    comparedCategories(scenario).some((category) => category === entry.category);

/** What a check of `testbedDataSource()` runs against: the in-process proxy stand-in, and the cluster behind it. */
export const VIA_PROXY_STAND_IN = ['proxy-stand-in', ...TEST_BED];
/** The same for a check that only needs the API server (no object the controllers made). */
export const VIA_PROXY_STAND_IN_API = ['proxy-stand-in', ...KUBE_API];

/** The running test bed's connection files (tests/testbed/start.sh), as the plugin's read-only identity sees it. */
export function readTestbed(runDir = process.env.ROLLOUT_LENS_RUN_DIR) {
  if (!runDir) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  const read = (file: string) => fs.readFileSync(path.join(runDir, file), 'utf8').trim();
  return {
    apiServerUrl: read('apiserver-url'),
    token: read('plugin-token'),
    caCert: read('ca.crt'),
    adminToken: read('admin-token'),
  };
}

/**
 * What the driver of a scenario observed (tests/e2e/lib/observations.mjs): the input of the oracle. Only a scenario
 * that passed wrote it.
 */
export function readObservations(scenario: string): unknown {
  const runDir = process.env.ROLLOUT_LENS_RUN_DIR ?? '';
  const file = path.join(runDir, 'observations', `${scenario}.json`);
  if (!runDir || !fs.existsSync(file)) {
    throw new Error(`no observations of scenario ${scenario} (${file}): scenario/${scenario} did not pass`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** `replaceVariables` stands in for Grafana's template service; by default variables are left as they are. */
export function testbedDataSource(
  jsonData: RolloutLensJsonData = {},
  replaceVariables: ReplaceVariables = (target: string) => target
) {
  const testbed = readTestbed();
  const proxy = proxyFetch(testbed);
  const settings = {
    id: 1,
    uid: 'testbed',
    name: 'Test bed',
    type: 'rolloutlens-argorollouts-datasource',
    url: PROXY_BASE_URL,
    access: 'proxy',
    jsonData: { apiServerUrl: testbed.apiServerUrl, clusterName: 'testbed', ...jsonData },
    meta: {},
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;
  const kube = createKubeClient({ baseUrl: `${PROXY_BASE_URL}/kube`, fetch: proxy.fetch, cacheTtlMs: 0 });
  return { dataSource: new DataSource(settings, replaceVariables, kube), proxy, testbed };
}

/** Lists a path with the test bed's admin token: what the cluster really holds, to compare the plugin with. */
export async function adminList<T = Record<string, any>>(listPath: string): Promise<T[]> {
  return ((await adminRequest('GET', listPath)) as { items: T[] }).items;
}

/** One request with the test bed's admin token; resolves the parsed body, rejects on a status outside 2xx. */
export async function adminRequest(method: string, requestPath: string, body?: unknown): Promise<any> {
  const answer = await adminCall(method, requestPath, body);
  if (answer.status < 200 || answer.status >= 300) {
    const message = (answer.body as { message?: string } | undefined)?.message ?? JSON.stringify(answer.body);
    throw new Error(`${method} ${requestPath} -> ${answer.status}: ${message}`);
  }
  return answer.body;
}

/** One request with the test bed's admin token (a JSON body if given); resolves status and body for any status. */
export function adminCall<T = any>(
  method: string,
  requestPath: string,
  body?: unknown
): Promise<{ status: number; body: T }> {
  const testbed = readTestbed();
  const server = new URL(testbed.apiServerUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        hostname: server.hostname,
        port: server.port,
        path: requestPath,
        method,
        ca: testbed.caCert,
        headers: {
          Authorization: `Bearer ${testbed.adminToken}`,
          Accept: 'application/json',
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON (e.g. /metrics): kept as text
          }
          resolve({ status: response.statusCode ?? 0, body: parsed as T });
        });
      }
    );
    requestDeadline(request, `${method} ${requestPath}`);
    request.on('error', reject);
    if (payload !== undefined) {
      request.write(payload);
    }
    request.end();
  });
}
