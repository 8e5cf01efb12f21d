/**
 * Real faults of the test bed, seen through the plugin's DataSource and the STAND-IN for Grafana's data source proxy
 * (Grafana cannot be built here; see docs/testing.md): the API server killed, stopped, throttling, expiring a list's
 * continue token; the identity's token and RBAC revoked; a wrong CA; objects that break assumptions; no Argo
 * Rollouts. Each check records what was injected, how long the plugin took to answer, what the viewer saw (the
 * error and notice texts of the DataSource's response) and whether entries were lost or invented.
 *
 * The checks run in this order, after every suite that reads the main test bed, and restore what they break before
 * the next one needs it. faults/crds-missing deletes the Argo Rollouts CRDs (and so every Rollout): it runs last.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { catchError, concatMap, throwError } from 'rxjs';

import { effectiveTimeouts } from '../../../src/datasource/config/timeouts';
import { DataSource, kubeClientFor } from '../../../src/datasource/datasource';
import type { KubeFetch } from '../../../src/datasource/kube/transport';
import { DEFAULT_CACHE_TTL_MS, DEFAULT_PAGE_SIZE } from '../../../src/datasource/kube/client';
import { DEFAULT_RETRY_POLICY } from '../../../src/datasource/kube/retry';
import { ROLLOUTS } from '../../../src/datasource/kube/resources';
import { StreamBudget } from '../../../src/datasource/kube/streamBudget';
import type { VariableQuery } from '../../../src/datasource/query/variableQuery';
import type { RolloutLensQuery } from '../../../src/datasource/types';
import { TEST_BED } from '../lib/components.mjs';
import { check } from '../plugin/checks';
import { templateReplacer, type VariableValue } from '../plugin/dashboard-variables';
import { grafanaStreamFetch } from '../plugin/grafana-fetch';
import { readTestbed } from '../plugin/testbed';
import { admin, adminOk, apiserver, apiserverMetric, applyObject, argoCrds, auditedRequests, waitFor } from './cluster';
import {
  answer,
  compareRefreshes,
  distinctErrors,
  overviewVariables,
  type Refresh,
  refreshOverview,
  summary,
} from './dashboard';
import {
  connectGrafana,
  createDataSource,
  deleteDataSource,
  type Grafana,
  instanceSettings,
  pluginDataSource,
  PROVISIONED_UID,
  proxyLog,
} from './grafana';
import { EVENT_COUNT, injectMalformedObjects, MALFORMED_NS } from './malformed';

/** Every fault is seen through the plugin and the Grafana stand-in's data source proxy, on the test bed. */
const FAULTS_AGAINST = ['grafana-stand-in', ...TEST_BED];

const READER = 'system:serviceaccount:rollout-lens:rollout-lens-reader';
const FAULTS_SA = 'rollout-lens-faults';

/** Watches of the reader identity the API server started since `since` (a watch is audited as it starts). */
function pluginWatchesSince(since: Date): Array<{ requestURI?: string; objectRef?: { resource?: string } }> {
  return fs
    .readFileSync(path.join(process.env.ROLLOUT_LENS_RUN_DIR ?? '', 'audit', 'audit.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(READER) && line.includes('"watch"'))
    .map((line) => JSON.parse(line))
    .filter(
      (event) =>
        event.stage === 'ResponseStarted' &&
        event.verb === 'watch' &&
        event.user?.username === READER &&
        Date.parse(event.requestReceivedTimestamp) >= since.getTime()
    );
}
const FAULTS_USER = `system:serviceaccount:rollout-lens:${FAULTS_SA}`;
/** The data source settings' defaults, which the provisioned example keeps. */
const QUERY_DEADLINE_MS = 45_000;
/** A loaded machine fires a timer late and needs a moment to build the answer after the deadline. */
const DEADLINE_SLACK_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let grafana: Grafana;
const values = new Map<string, VariableValue>();
const replaceVariables = templateReplacer(values);

/** The provisioned data source as a fresh browser page would get it (no results shared with an earlier refresh). */
const provisioned = () => pluginDataSource(grafana, PROVISIONED_UID, replaceVariables);

/**
 * The dashboard's next refresh. It comes after the plugin's short-lived results cache (which lets the panels of one
 * refresh share lists) has expired, as the next refresh of an open dashboard does.
 */
async function nextRefresh(dataSource: DataSource): Promise<Refresh> {
  await sleep(DEFAULT_CACHE_TTL_MS);
  return refreshOverview(dataSource);
}

function expectComplete(refresh: Refresh, when: string): void {
  const problems = refresh.answers.filter((a) => a.errors.length > 0 || a.crashed);
  if (problems.length > 0) {
    throw new Error(`the refresh ${when} is not complete: ${JSON.stringify(summary(refresh).queries)}`);
  }
}

function expectEveryQueryFailed(refresh: Refresh, message: RegExp, when: string): void {
  for (const answer of refresh.answers) {
    expect([when, answer.query, answer.crashed]).toEqual([when, answer.query, undefined]);
    expect([when, answer.query, answer.errors.length > 0]).toEqual([when, answer.query, true]);
    for (const error of answer.errors) {
      expect([when, answer.query, error]).toEqual([when, answer.query, expect.stringMatching(message)]);
    }
  }
}

/** Rollouts of the scenarios, so that a refresh has something to lose. */
function expectRows(refresh: Refresh): void {
  const rows = refresh.answers.reduce((sum, a) => sum + a.rows.length, 0);
  expect(rows).toBeGreaterThan(0);
}

// A check that fails half-way must not leave the API server down or stopped for the next one.
afterEach(async () => {
  await apiserver('resume').catch(() => undefined);
  await apiserver('start').catch(() => undefined);
});

beforeAll(async () => {
  grafana = connectGrafana();
  const dataSource = await provisioned();
  await overviewVariables(dataSource, values);
});

describe('faults of the real test bed', () => {
  check(
    'faults/apiserver-restart',
    async (details) => {
      const dataSource = await provisioned();
      const before = await refreshOverview(dataSource);
      expectComplete(before, 'before the fault');
      expectRows(before);
      details.variables = Object.fromEntries(values);
      details.before = summary(before);

      const killed = await apiserver('kill');
      details.injected = `kube-apiserver killed with SIGKILL (pid ${killed.pid}) after a complete refresh`;
      const outage = await nextRefresh(dataSource);
      details.duringOutage = summary(outage);
      details.viewerSawDuringOutage = distinctErrors(outage);
      expectEveryQueryFailed(outage, /^Grafana could not connect to the Kubernetes API server/, 'during the outage');
      expect(outage.answeredMs).toBeLessThanOrEqual(QUERY_DEADLINE_MS);

      const restarted = await apiserver('start');
      details.restart = `kube-apiserver started again with the same flags (pid ${restarted.pid}), ready after ${restarted.seconds} s`;
      const after = await nextRefresh(dataSource);
      details.after = summary(after);
      expectComplete(after, 'after the restart');
      const { lost, invented } = compareRefreshes(before, after);
      Object.assign(details, { lost, invented });
      expect({ lost, invented }).toEqual({ lost: [], invented: [] });
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 240_000 }
  );

  check(
    'perf/watch-restart',
    async (details) => {
      // A dashboard open in a browser: the data source lists, then watches through the stand-in's proxy.
      // No six-connection limit per host in this Node process: every kind is watched, as over HTTP/2.
      const dataSource = await pluginDataSource(
        grafana,
        PROVISIONED_UID,
        replaceVariables,
        { streamFetch: grafanaStreamFetch(grafana.connection) },
        { streams: new StreamBudget(Infinity) }
      );
      try {
        const before = await refreshOverview(dataSource);
        expectComplete(before, 'before the restart');
        expectRows(before);
        details.before = summary(before);
        const watching = () => dataSource.informer.status().every((scope) => scope.mode === 'watching');
        details.watchingAfterMs = await waitFor('every kind and scope watched', 30_000, async () => watching());

        const restartedAt = new Date();
        const restarted = await apiserver('restart');
        details.restart = `kube-apiserver restarted with the same flags (pid ${restarted.pid}), ready after ${restarted.seconds} s`;
        // The streams broke with the old process; the informer watches again (from the last resourceVersion, or
        // lists again when the new API server answers 410 Gone).
        details.resumedAfterMs = await waitFor('the watches started again at the new API server', 90_000, async () => {
          const resumed = new Set(pluginWatchesSince(restartedAt).map((event) => event.objectRef?.resource));
          return watching() && dataSource.informer.status().every((scope) => resumed.has(scope.resource.split('.')[0]));
        });
        details.watchesAfterRestart = pluginWatchesSince(restartedAt).map((event) => event.requestURI);

        const after = await nextRefresh(dataSource);
        details.after = summary(after);
        expectComplete(after, 'after the restart');
        const { lost, invented } = compareRefreshes(before, after);
        Object.assign(details, { lost, invented });
        expect({ lost, invented }).toEqual({ lost: [], invented: [] });
      } finally {
        details.scopes = dataSource.informer.status();
        dataSource.informer.stop();
      }
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 240_000 }
  );

  check(
    'faults/apiserver-hang',
    async (details) => {
      const dataSource = await provisioned();
      const before = await refreshOverview(dataSource);
      expectComplete(before, 'before the fault');
      details.before = summary(before);

      await sleep(DEFAULT_CACHE_TTL_MS);
      // Stopped before the refresh: its lists (one per kind, from the watch cache) take less than the 50 ms the check
      // used to wait, so a refresh started first could finish before the stop.
      const paused = await apiserver('pause');
      details.injected = `kube-apiserver stopped with SIGSTOP (pid ${paused.pid}) before the refresh started`;
      const hung = refreshOverview(dataSource);
      let during: Refresh;
      try {
        during = await hung;
      } finally {
        await apiserver('resume');
      }
      details.whileStopped = summary(during);
      details.viewerSawWhileStopped = distinctErrors(during);
      details.answeredWhileStoppedMs = during.answeredMs;
      details.queryDeadlineMs = QUERY_DEADLINE_MS;
      // Two ways to run out of time, both Grafana's: a request on a kept-alive connection waits for the plugin's
      // request timeout and is retried until the query deadline; a new connection's TLS handshake hits the data
      // proxy's 10 s handshake timeout first, which it answers with 504 (proxyutil errorHandler).
      expectEveryQueryFailed(
        during,
        new RegExp(
          '^The Kubernetes API server did not answer .* (Gave up after \\d+ attempts at the query deadline of 45 s|' +
            "in time \\(HTTP 504 Gateway Timeout from Grafana's data source proxy.* Tried \\d+ times in \\d+(\\.\\d)? s)"
        ),
        'while stopped'
      );
      expect(during.answeredMs).toBeLessThanOrEqual(QUERY_DEADLINE_MS + DEADLINE_SLACK_MS);

      const after = await nextRefresh(dataSource);
      details.after = summary(after);
      expectComplete(after, 'after SIGCONT');
      const { lost, invented } = compareRefreshes(before, after);
      Object.assign(details, { lost, invented });
      expect({ lost, invented }).toEqual({ lost: [], invented: [] });
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 240_000 }
  );

  describe('with an identity of its own, so that the provisioned one stays intact', () => {
    let uid: string;
    let dataSource: DataSource;
    let before: Refresh;

    beforeAll(async () => {
      await applyObject('/api/v1/namespaces/rollout-lens/serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: FAULTS_SA },
      } as any);
      await applyObject('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', bindingOfFaultsIdentity() as any);
      await applyObject('/api/v1/namespaces/rollout-lens/secrets', {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: `${FAULTS_SA}-token`, annotations: { 'kubernetes.io/service-account.name': FAULTS_SA } },
      } as any);
      let token = '';
      await waitFor('the token of the faults identity', 60_000, async () => {
        const secret = await admin('GET', `/api/v1/namespaces/rollout-lens/secrets/${FAULTS_SA}-token`);
        token = secret.body?.data?.token ? Buffer.from(secret.body.data.token, 'base64').toString('utf8') : '';
        return token !== '';
      });
      const testbed = readTestbed();
      uid = await createDataSource(grafana, {
        name: 'Argo Rollouts (fault checks)',
        jsonData: {
          apiServerUrl: testbed.apiServerUrl,
          clusterName: 'testbed',
          authMethod: 'token',
          tlsAuthWithCACert: true,
        },
        secureJsonData: { token, tlsCACert: testbed.caCert },
      });
      dataSource = await pluginDataSource(grafana, uid, replaceVariables);
      before = await refreshOverview(dataSource);
      expectComplete(before, 'with the faults identity');
    }, 120_000);

    afterAll(async () => {
      await deleteDataSource(grafana, uid).catch(() => undefined);
      await admin('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${FAULTS_SA}`);
      await admin('DELETE', `/api/v1/namespaces/rollout-lens/serviceaccounts/${FAULTS_SA}`);
    });

    check(
      'faults/rbac-revoked',
      async (details) => {
        details.before = summary(before);
        await adminOk('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${FAULTS_SA}`);
        details.injected = `ClusterRoleBinding ${FAULTS_SA} (ClusterRole rollout-lens-reader) deleted while the dashboard is open`;
        details.deniedAfterMs = await waitFor(
          'RBAC to deny the faults identity',
          30_000,
          async () => !(await mayList())
        );
        const revoked = await nextRefresh(dataSource);
        details.revoked = summary(revoked);
        details.viewerSaw = distinctErrors(revoked);
        expectEveryQueryFailed(
          revoked,
          new RegExp(
            `^Kubernetes RBAC does not allow "${FAULTS_USER}" to list [a-z.]+ in namespace "e2e-[a-z-]+"\\. Grant it with the read-only ClusterRole from deploy/`
          ),
          'after the binding was deleted'
        );
        const health = await dataSource.testDatasource();
        details.healthCheck = { status: health.status, message: health.message };
        expect(health.status).toBe('error');
        expect(health.message).toMatch(/cannot list rollouts\.argoproj\.io/);

        await applyObject('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', bindingOfFaultsIdentity() as any);
        details.restored = `ClusterRoleBinding ${FAULTS_SA} created again`;
        details.allowedAfterMs = await waitFor('RBAC to allow the faults identity again', 30_000, mayList);
        const after = await nextRefresh(dataSource);
        details.after = summary(after);
        expectComplete(after, 'after the binding was restored');
        const { lost, invented } = compareRefreshes(before, after);
        Object.assign(details, { lost, invented });
        expect({ lost, invented }).toEqual({ lost: [], invented: [] });
        return details;
      },
      { against: FAULTS_AGAINST, timeoutMs: 180_000 }
    );

    check(
      'faults/token-revoked',
      async (details) => {
        await adminOk('DELETE', `/api/v1/namespaces/rollout-lens/secrets/${FAULTS_SA}-token`);
        details.injected = `token Secret rollout-lens/${FAULTS_SA}-token of the data source's ServiceAccount deleted while the dashboard is open`;
        details.rejectedAfterMs = await waitFor('the API server to reject the deleted token', 60_000, async () => {
          const probe = await dataSource.testDatasource();
          return /rejected the token/.test(probe.message ?? '');
        });
        const revoked = await nextRefresh(dataSource);
        details.revoked = summary(revoked);
        details.viewerSaw = distinctErrors(revoked);
        expectEveryQueryFailed(
          revoked,
          /^The API server rejected the token \(HTTP 401, which Grafana reports as "Authentication to data source failed"\): it is wrong, expired, revoked or belongs to another cluster\. Create a new ServiceAccount token/,
          'after the token was revoked'
        );
        const health = await dataSource.testDatasource();
        details.healthCheck = { status: health.status, message: health.message };
        expect(health.status).toBe('error');
        expect(health.message).toMatch(/rejected the token .*Create a new ServiceAccount token/);
        return details;
      },
      { against: FAULTS_AGAINST, timeoutMs: 180_000 }
    );
  });

  check(
    'faults/wrong-ca',
    async (details) => {
      const testbed = readTestbed();
      const otherCa = generateOtherCa();
      const since = new Date();
      const uid = await createDataSource(grafana, {
        name: 'Argo Rollouts (another CA)',
        jsonData: {
          apiServerUrl: testbed.apiServerUrl,
          clusterName: 'testbed',
          authMethod: 'token',
          tlsAuthWithCACert: true,
        },
        secureJsonData: { token: testbed.token, tlsCACert: otherCa },
      });
      try {
        details.injected =
          "a data source whose CA certificate is a self-signed CA that did not sign the API server's certificate";
        const dataSource = await pluginDataSource(grafana, uid, replaceVariables);
        const refresh = await refreshOverview(dataSource);
        details.refresh = summary(refresh);
        details.viewerSaw = distinctErrors(refresh);
        expectEveryQueryFailed(
          refresh,
          /^Grafana could not connect to the Kubernetes API server, or could not verify its TLS certificate \(HTTP 502 Bad Gateway\), for list [a-z.]+ in namespace "e2e-[a-z-]+" \(GET [^)]+\)\. .*"x509: certificate signed by unknown authority" when the CA certificate of this data source did not sign the API server's certificate\./,
          'with another CA'
        );
        const health = await dataSource.testDatasource();
        details.healthCheck = { status: health.status, message: health.message };
        expect(health.status).toBe('error');
        expect(health.message).toMatch(/could not verify its TLS certificate/);
        const logged = proxyLog(uid, since).filter((entry) => entry.outcome === 'transport error');
        details.proxyLog = [...new Set(logged.map((entry) => entry.error))];
        // What the data source proxy logged for the request: the certificate problem itself.
        expect(logged.length).toBeGreaterThan(0);
        expect(logged.every((entry) => /certificate/i.test(entry.error))).toBe(true);
      } finally {
        await deleteDataSource(grafana, uid);
      }
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 120_000 }
  );
});

describe('faults that need the API server restarted with other flags', () => {
  check(
    'faults/throttled',
    async (details) => {
      const baseline = await refreshOverview(await provisioned());
      expectComplete(baseline, 'before the fault');
      const restarted = await apiserver(
        'restart',
        '--enable-priority-and-fairness=true',
        '--max-requests-inflight=100',
        '--max-mutating-requests-inflight=50'
      );
      details.restart =
        `kube-apiserver restarted with API Priority and Fairness on and a server concurrency limit of 150 seats ` +
        `(pid ${restarted.pid}, ready after ${restarted.seconds} s)`;
      await waitFor('the API Priority and Fairness bootstrap objects', 60_000, async () =>
        [200].includes((await admin('GET', `${FLOWCONTROL}/prioritylevelconfigurations/catch-all`)).status)
      );
      await applyObject(`${FLOWCONTROL}/prioritylevelconfigurations`, ONE_SEAT_LEVEL as any);
      await applyObject(`${FLOWCONTROL}/flowschemas`, READER_FLOW_SCHEMA as any);
      try {
        details.seatsAppliedAfterMs = await waitFor('the priority level to have one seat', 60_000, async () => {
          const seats = await apiserverMetric('apiserver_flowcontrol_nominal_limit_seats', {
            priority_level: ONE_SEAT_LEVEL.metadata.name,
          });
          return seats === 1;
        });
        details.injected =
          `FlowSchema ${READER_FLOW_SCHEMA.metadata.name} sends every request of ${READER} to PriorityLevelConfiguration ` +
          `${ONE_SEAT_LEVEL.metadata.name}: nominal seats 1 (apiserver_flowcontrol_nominal_limit_seats), nothing lent ` +
          'or borrowed, no queue (limitResponse Reject)';

        const dataSource = await provisioned();
        const since = new Date(Date.now() - 1);
        const refresh = await refreshOverview(dataSource);
        details.refresh = summary(refresh);
        details.viewerSaw = distinctErrors(refresh);
        const requests = auditedRequests(READER, since).filter(
          (event) => Date.parse(event.requestReceivedTimestamp) <= since.getTime() + refresh.answeredMs + 1_000
        );
        const byStatus: Record<string, number> = {};
        const attemptsByUri = new Map<string, number>();
        // SelfSubjectAccessReviews (one per kind the refresh reads cluster-wide in place of many namespaces) share one
        // URI and differ only by their bodies, which the audit log (Metadata level) does not show: each answered one
        // is a request of its own, with the attempts of the throttled ones.
        const reviews = requests.filter((event) => event.requestURI.endsWith('/selfsubjectaccessreviews'));
        const answeredReviews = reviews.filter((event) => event.responseStatus?.code === 201).length;
        for (const event of requests) {
          const code = String(event.responseStatus?.code ?? 'none');
          byStatus[code] = (byStatus[code] ?? 0) + 1;
          if (!reviews.includes(event)) {
            attemptsByUri.set(event.requestURI, (attemptsByUri.get(event.requestURI) ?? 0) + 1);
          }
        }
        const mostAttempts = Math.max(...attemptsByUri.values());
        const distinctRequests = attemptsByUri.size + answeredReviews;
        details.auditLog = {
          requests: requests.length,
          byStatus,
          distinctRequests,
          mostAttempts,
          reviews: reviews.length,
          answeredReviews,
        };
        // The API server did throttle, and the plugin neither hammered it nor gave up early on a request.
        expect(byStatus['429'] ?? 0).toBeGreaterThan(0);
        expect(mostAttempts).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxRetries + 1);
        expect(reviews.length).toBeLessThanOrEqual(answeredReviews * (DEFAULT_RETRY_POLICY.maxRetries + 1));
        expect(requests.length).toBeLessThanOrEqual(distinctRequests * (DEFAULT_RETRY_POLICY.maxRetries + 1));

        const failed = refresh.answers.filter((answer) => answer.errors.length > 0 || answer.crashed);
        for (const answer of failed) {
          expect([answer.query, answer.crashed]).toEqual([answer.query, undefined]);
          for (const error of answer.errors) {
            expect(error).toMatch(
              /^The Kubernetes API server is throttling this identity \(HTTP 429 Too Many Requests\)/
            );
          }
        }
        const completed = refresh.answers.filter((answer) => !failed.includes(answer));
        const { lost, invented } = compareRefreshes(
          { ...baseline, answers: baseline.answers.filter((a) => completed.some((c) => c.query === a.query)) },
          { ...refresh, answers: completed }
        );
        details.outcome =
          failed.length === 0
            ? 'the refresh completed through retries'
            : `${completed.length} queries completed through retries, ${failed.length} said they were throttled`;
        Object.assign(details, { lost, invented });
        expect({ lost, invented }).toEqual({ lost: [], invented: [] });
      } finally {
        await admin('DELETE', `${FLOWCONTROL}/flowschemas/${READER_FLOW_SCHEMA.metadata.name}`);
        await admin('DELETE', `${FLOWCONTROL}/prioritylevelconfigurations/${ONE_SEAT_LEVEL.metadata.name}`);
      }
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 300_000 }
  );

  check(
    'faults/continue-expired',
    async (details) => {
      const restarted = await apiserver(
        'restart',
        '--watch-cache=false',
        `--etcd-compaction-interval=${COMPACTION_INTERVAL}`
      );
      details.restart =
        `kube-apiserver restarted without its watch cache (--watch-cache=false: lists are read from etcd and come ` +
        `in pages) and with --etcd-compaction-interval=${COMPACTION_INTERVAL} (pid ${restarted.pid}, ready after ` +
        `${restarted.seconds} s)`;
      await applyObject('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: PAGING_NS },
      } as any);
      await createUnownedRollouts(PAGED_ROLLOUTS);
      const expected = (await adminOk('GET', `/apis/argoproj.io/v1alpha1/namespaces/${PAGING_NS}/rollouts`)).items
        .map((item: any) => item.metadata.name)
        .sort();
      expect(expected).toHaveLength(PAGED_ROLLOUTS);

      const settings = await instanceSettings(grafana, PROVISIONED_UID);
      const pages: Array<{ page: 'first' | 'continue'; status: number; items?: number }> = [];
      let expired: { afterMs: number; message: string } | undefined;
      const listPath = `/kube/apis/argoproj.io/v1alpha1/namespaces/${PAGING_NS}/rollouts`;
      // Grafana's fetch, holding back the first page of the Rollouts list until its continue token has expired.
      const holdingFirstPage: KubeFetch = (options) => {
        if (!options.url.endsWith(listPath)) {
          return grafana.fetch(options);
        }
        const page =
          (options.params as Record<string, unknown> | undefined)?.continue === undefined ? 'first' : 'continue';
        return grafana.fetch<any>(options).pipe(
          concatMap(async (response) => {
            pages.push({ page, status: response.status, items: response.data?.items?.length });
            const token = response.data?.metadata?.continue;
            if (page === 'first' && token && expired === undefined) {
              expired = await expireContinueToken(token);
            }
            return response;
          }),
          catchError((error) => {
            pages.push({ page, status: error.status });
            return throwError(() => error);
          })
        ) as any;
      };
      const dataSource = new DataSource(settings, replaceVariables, kubeClientFor(settings, holdingFirstPage));
      const table = await answer(dataSource, 'rollouts', [
        { refId: 'A', queryType: 'rollouts', namespaces: [PAGING_NS], rollouts: [] } as RolloutLensQuery,
      ]);
      details.injected =
        `the data source's rollouts table of a namespace with ${PAGED_ROLLOUTS} Rollouts (pages of ` +
        `${DEFAULT_PAGE_SIZE}); after the first page, an object was written and kube-apiserver compacted etcd past ` +
        "the list's revision; the first page reached the plugin once the API server answered 410 for its continue token";
      details.expired = expired;
      details.pages = pages;
      details.answeredMs = table.answeredMs;
      details.viewerSaw = [...table.errors, ...table.notices];
      expect([table.errors, table.crashed]).toEqual([[], undefined]);
      // Held back longer than the request timeout, the first page would have been asked for again: no fault injected.
      expect(expired?.afterMs).toBeLessThan(effectiveTimeouts(settings.jsonData).requestTimeoutSeconds * 1000);
      expect(expired?.message).toMatch(
        /^The provided continue parameter is too old to display a consistent list result/
      );
      expect(pages).toEqual([
        { page: 'first', status: 200, items: DEFAULT_PAGE_SIZE },
        { page: 'continue', status: 410 },
        { page: 'first', status: 200, items: DEFAULT_PAGE_SIZE },
        { page: 'continue', status: 200, items: DEFAULT_PAGE_SIZE },
        { page: 'continue', status: 200, items: PAGED_ROLLOUTS - 2 * DEFAULT_PAGE_SIZE },
      ]);
      const names = table.rows.map((row) => JSON.parse(row).name).sort();
      const expectedSet = new Set(expected);
      details.lost = expected.filter((name: string) => !names.includes(name));
      details.invented = names.filter((name) => !expectedSet.has(name));
      expect(names).toEqual(expected);
      await admin('DELETE', `/api/v1/namespaces/${PAGING_NS}`);
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 600_000 }
  );
});

/** Rollouts of another controller instance (so the test bed's controller leaves them alone), a few at a time. */
async function createUnownedRollouts(count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `paged-${String(i).padStart(4, '0')}`);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let name = names.shift(); name; name = names.shift()) {
        const created = await admin(
          'POST',
          `/apis/argoproj.io/v1alpha1/namespaces/${PAGING_NS}/rollouts`,
          unownedRollout(name)
        );
        if (created.status !== 201 && created.status !== 409) {
          throw new Error(`Rollout ${name}: HTTP ${created.status} ${created.body?.message}`);
        }
      }
    })
  );
}

describe('faults that change what the cluster holds', () => {
  check(
    'faults/malformed-objects',
    async (details) => {
      const injected = await injectMalformedObjects();
      details.injected = injected.accepted;
      details.refusedByTheApiServer = injected.refused;
      expect(injected.eventsCreated).toBe(EVENT_COUNT + 7);

      const dataSource = await provisioned();
      const scope = { namespaces: [MALFORMED_NS], rollouts: [] as string[] };
      const answers = await Promise.all(
        (['rollouts', 'revisions', 'events', 'analysisRuns', 'annotations'] as const).map((queryType) =>
          answer(dataSource, queryType, [{ refId: 'A', queryType, ...scope } as RolloutLensQuery])
        )
      );
      const variables = {
        namespaces: await variableAnswer(dataSource, { kind: 'namespaces' }),
        rollouts: await variableAnswer(dataSource, { kind: 'rollouts', namespaces: [MALFORMED_NS] }),
        labelValues: await variableAnswer(dataSource, {
          kind: 'labelValues',
          labelKey: 'app',
          namespaces: [MALFORMED_NS],
        }),
      };
      details.answers = answers.map(({ query, answeredMs, errors, notices, rows, crashed }) => ({
        query,
        answeredMs,
        rows: rows.length,
        errors,
        notices,
        ...(crashed ? { crashed } : {}),
      }));
      details.variables = variables;
      details.viewerSaw = Object.fromEntries(answers.map((a) => [a.query, [...a.errors, ...a.notices]]));

      for (const a of answers) {
        expect([a.query, a.crashed, a.errors]).toEqual([a.query, undefined, []]);
      }
      const byType = Object.fromEntries(answers.map((a) => [a.query, a]));
      const rolloutRows = byType.rollouts.rows.map((row) => JSON.parse(row));
      expect(rolloutRows.map((row) => row.name).sort()).toEqual(['broken-status', 'large-annotations', 'noisy']);
      expect(rolloutRows.find((row) => row.name === 'broken-status')).toMatchObject({
        phase: 'Progressing',
        message: 'waiting for rollout spec update to be observed',
        step: '99/2',
        canaryWeight: 250,
        readyReplicas: -5,
        images: 'example.test/broken-status:1.0',
      });
      expect(byType.rollouts.notices).toEqual([
        '2 rollout(s) have no status yet: the Argo Rollouts controller has not reconciled them.',
      ]);
      expect(byType.revisions.notices.length).toBeGreaterThan(0);
      expect(byType.events.rows.length).toBe(EVENT_COUNT + 7);
      expect(byType.analysisRuns.rows.map((row) => JSON.parse(row))).toEqual([
        expect.objectContaining({
          name: 'broken-status-run',
          phase: 'Exploded',
          stepIndex: null,
          revision: null,
          failingMetric: 'web',
        }),
      ]);
      expect(byType.annotations.notices).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Showing the newest 500 of \d+ annotations: raise the limit or narrow the query/),
        ])
      );
      expect(byType.annotations.rows.length).toBe(500);
      expect(variables.rollouts).toEqual({ values: ['broken-status', 'large-annotations', 'noisy'] });
      expect(variables.labelValues).toEqual({ values: ['broken-status', 'large-annotations', 'noisy'] });
      expect((variables.namespaces as { values: string[] }).values).toContain(MALFORMED_NS);
      await admin('DELETE', `/api/v1/namespaces/${MALFORMED_NS}`);
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 600_000 }
  );

  check(
    'faults/crds-missing',
    async (details) => {
      const dataSource = await provisioned();
      details.injected = await argoCrds('delete');
      try {
        const notInstalled =
          /^This cluster does not serve the argoproj\.io API \(HTTP 404 for \/apis\/argoproj\.io\/v1alpha1[^)]*\): the Argo Rollouts CRDs are not installed\. Install Argo Rollouts in this cluster, or point the data source at the cluster that runs it\.$/;
        const health = await dataSource.testDatasource();
        details.healthCheck = { status: health.status, message: health.message };
        expect(health.status).toBe('error');
        expect(health.message).toMatch(notInstalled);

        const refresh = await refreshOverview(dataSource);
        details.refresh = summary(refresh);
        details.viewerSaw = distinctErrors(refresh);
        expectEveryQueryFailed(refresh, notInstalled, 'without the CRDs');

        const variable = await variableAnswer(dataSource, { kind: 'namespaces' });
        details.variable = variable;
        expect(variable).toEqual({ error: expect.stringMatching(notInstalled) });
      } finally {
        details.restored = await argoCrds('install');
      }
      return details;
    },
    { against: FAULTS_AGAINST, timeoutMs: 300_000 }
  );
});

/** A variable query as the dashboard's variable runs it: its values, or the message it fails with. */
async function variableAnswer(dataSource: DataSource, query: VariableQuery) {
  try {
    const options = await dataSource.metricFindQuery(query);
    return { values: options.map((option) => String(option.value ?? option.text)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Writes an object, then waits until the API server answers 410 Expired for `token` (it then also will for the plugin). */
async function expireContinueToken(token: string): Promise<{ afterMs: number; message: string }> {
  await adminOk('POST', `/api/v1/namespaces/${PAGING_NS}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { generateName: 'after-first-page-' },
  });
  let message = '';
  const afterMs = await waitFor(
    'the continue token to expire',
    60_000,
    async () => {
      const probe = await admin(
        'GET',
        `/apis/argoproj.io/v1alpha1/namespaces/${PAGING_NS}/rollouts?limit=${DEFAULT_PAGE_SIZE}&continue=${encodeURIComponent(token)}`
      );
      message = probe.body?.message ?? '';
      return probe.status === 410;
    },
    500
  );
  return { afterMs, message };
}

/** A Rollout the test bed's controller leaves alone: it belongs to another controller instance. */
function unownedRollout(name: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: {
      name,
      labels: { 'argo-rollouts.argoproj.io/controller-instance-id': 'rollout-lens-faults', app: name },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'example.test/app:1.0' }] },
      },
      strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
    },
  };
}

const FLOWCONTROL = '/apis/flowcontrol.apiserver.k8s.io/v1';
/**
 * Short, so that the API server compacts etcd well within the request timeout while the first page is held back
 * (a first page held longer than the request timeout would be given up and asked for again).
 */
const COMPACTION_INTERVAL = '2s';
const PAGING_NS = 'faults-paging';
/** Enough for three pages of the plugin's page size. */
const PAGED_ROLLOUTS = 2 * DEFAULT_PAGE_SIZE + 50;

const ONE_SEAT_LEVEL = {
  apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
  kind: 'PriorityLevelConfiguration',
  metadata: { name: 'rollout-lens-one-seat' },
  spec: {
    type: 'Limited',
    limited: {
      nominalConcurrencyShares: 1,
      lendablePercent: 0,
      borrowingLimitPercent: 0,
      limitResponse: { type: 'Reject' },
    },
  },
};

const READER_FLOW_SCHEMA = {
  apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
  kind: 'FlowSchema',
  metadata: { name: 'rollout-lens-reader-one-seat' },
  spec: {
    priorityLevelConfiguration: { name: ONE_SEAT_LEVEL.metadata.name },
    matchingPrecedence: 500,
    distinguisherMethod: { type: 'ByUser' },
    rules: [
      {
        subjects: [
          { kind: 'ServiceAccount', serviceAccount: { namespace: 'rollout-lens', name: 'rollout-lens-reader' } },
        ],
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      },
    ],
  },
};

function bindingOfFaultsIdentity() {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: FAULTS_SA },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'rollout-lens-reader' },
    subjects: [{ kind: 'ServiceAccount', name: FAULTS_SA, namespace: 'rollout-lens' }],
  };
}

/** Whether RBAC lets the faults identity list Rollouts everywhere, as the API server decides it now. */
async function mayList(): Promise<boolean> {
  const review = await adminOk('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: FAULTS_USER,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:rollout-lens', 'system:authenticated'],
      resourceAttributes: { verb: 'list', group: ROLLOUTS.group, resource: ROLLOUTS.plural },
    },
  });
  return review.status?.allowed === true;
}

/** A CA of its own, made with openssl (installed by tests/testbed/prereqs.sh): it signed nothing the test bed serves. */
function generateOtherCa(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-lens-other-ca-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=another-ca',
        '-keyout',
        path.join(dir, 'ca.key'),
        '-out',
        path.join(dir, 'ca.crt'),
      ],
      { stdio: 'ignore' }
    );
    return fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
