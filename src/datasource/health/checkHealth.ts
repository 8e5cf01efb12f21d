import type { AccessReviewRequest, KubeApi } from '../kube/client';
import { isKubeError } from '../kube/errors';
import {
  ARGO_GROUP_VERSION,
  isValidNamespace,
  NAMESPACES,
  qualifiedName,
  READ_RESOURCES,
  ROLLOUTS,
} from '../kube/resources';
import type { RolloutLensJsonData } from '../types';

import { buildHealthResult } from './result';
import type {
  AccessOutcome,
  ArgoApiCheck,
  CheckFailure,
  HealthChecks,
  HealthResult,
  ReadCheck,
  RiskCheck,
  WatchCheck,
  WatchReview,
} from './types';

/** Kinds the plugin can do without: Experiments only add detail, namespaces only feed variables. */
const OPTIONAL_READS = new Set(['experiments.argoproj.io', 'namespaces']);
const ARGO_KINDS = ['rollouts', 'analysisruns', 'experiments'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete'];
/** Access reviews sent at once; browsers allow about six connections per host anyway. */
const REVIEW_CONCURRENCY = 6;

export type HealthSettings = Pick<RolloutLensJsonData, 'defaultNamespaces'>;

/** What the data source instance knows about watching: whether it can stream, and the scopes that list instead. */
export type WatchState = Omit<WatchCheck, 'reviews'>;

/** The kinds the panels read and the data source watches (namespaces only feed variables, by a list). */
const WATCHED_RESOURCES = READ_RESOURCES.filter((resource) => resource !== NAMESPACES);

function toFailure(error: unknown): CheckFailure {
  if (isKubeError(error)) {
    return { kind: error.kind, message: error.message };
  }
  return { kind: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Default namespaces as configured: trimmed, without blanks and duplicates, split into valid and invalid. */
export function configuredNamespaces(settings: HealthSettings): { valid: string[]; invalid: string[] } {
  const names = [...new Set((settings.defaultNamespaces ?? []).map((name) => name.trim()).filter(Boolean))];
  return { valid: names.filter(isValidNamespace), invalid: names.filter((name) => !isValidNamespace(name)) };
}

interface PlannedReview<T> {
  review: AccessReviewRequest;
  toCheck: (outcome: AccessOutcome) => T;
}

/** The access reviews of the health check: what we read, and what would make the identity too powerful. */
export function planAccessReviews(scopes: Array<string | undefined>): {
  reads: Array<PlannedReview<ReadCheck>>;
  risks: Array<PlannedReview<RiskCheck>>;
  watches: Array<PlannedReview<WatchReview>>;
} {
  const reads = READ_RESOURCES.flatMap((resource) =>
    (resource.namespaced ? scopes : [undefined]).map((namespace) => ({
      review: { verb: 'list', group: resource.group, resource: resource.plural, namespace },
      toCheck: (outcome: AccessOutcome): ReadCheck => ({
        resource: qualifiedName(resource),
        namespace,
        optional: OPTIONAL_READS.has(qualifiedName(resource)),
        outcome,
      }),
    }))
  );
  const riskReviews: Array<Omit<RiskCheck, 'outcome' | 'namespace'> & { group: string; plural: string }> = [
    { risk: 'readsSecrets', verb: 'get', group: '', plural: 'secrets', resource: 'secrets' },
    { risk: 'readsSecrets', verb: 'list', group: '', plural: 'secrets', resource: 'secrets' },
    ...WRITE_VERBS.map((verb) => ({
      risk: 'writes' as const,
      verb,
      group: ROLLOUTS.group,
      plural: ROLLOUTS.plural,
      resource: qualifiedName(ROLLOUTS),
    })),
    { risk: 'writes', verb: '*', group: '*', plural: '*', resource: '*' },
  ];
  const risks = scopes.flatMap((namespace) =>
    riskReviews.map(({ group, plural, ...risk }) => ({
      review: { verb: risk.verb, group, resource: plural, namespace },
      toCheck: (outcome: AccessOutcome): RiskCheck => ({ ...risk, namespace, outcome }),
    }))
  );
  const watches = WATCHED_RESOURCES.flatMap((resource) =>
    scopes.map((namespace) => ({
      review: { verb: 'watch', group: resource.group, resource: resource.plural, namespace },
      toCheck: (outcome: AccessOutcome): WatchReview => ({ resource: qualifiedName(resource), namespace, outcome }),
    }))
  );
  return { reads, risks, watches };
}

async function review(client: KubeApi, request: AccessReviewRequest): Promise<AccessOutcome> {
  try {
    const decision = await client.accessReview(request);
    return decision.allowed ? { state: 'allowed' } : { state: 'denied', reason: decision.reason };
  } catch (error) {
    return { state: 'unknown', failure: toFailure(error) };
  }
}

async function checkArgoApi(client: KubeApi): Promise<ArgoApiCheck> {
  try {
    const discovered = await client.apiGroupResources(ARGO_GROUP_VERSION, { bypassCache: true });
    const names = new Set(discovered.resources.map((resource) => resource.name));
    return {
      ok: true,
      groupVersion: ARGO_GROUP_VERSION,
      served: ARGO_KINDS.filter((kind) => names.has(kind)),
      missing: ARGO_KINDS.filter((kind) => !names.has(kind)),
    };
  } catch (error) {
    return { ok: false, groupVersion: ARGO_GROUP_VERSION, failure: toFailure(error) };
  }
}

/**
 * Runs every check: /version, discovery of argoproj.io, and SelfSubjectAccessReviews only (it never reads a
 * Secret to find out whether it could). With `watching`, also whether the panels can be kept current by watches.
 */
export async function collectHealthChecks(
  client: KubeApi,
  settings: HealthSettings,
  watching?: WatchState
): Promise<HealthChecks> {
  const namespaces = configuredNamespaces(settings);
  try {
    const info = await client.version({ bypassCache: true });
    const connection = { ok: true as const, version: info.gitVersion };
    const scopes: Array<string | undefined> = namespaces.valid.length > 0 ? namespaces.valid : [undefined];
    const plan = planAccessReviews(scopes);
    const watchPlan = watching ? plan.watches : [];
    const requests = [...plan.reads, ...plan.risks, ...watchPlan].map((planned) => planned.review);
    const [argo, outcomes] = await Promise.all([
      checkArgoApi(client),
      mapWithConcurrency(requests, REVIEW_CONCURRENCY, (request) => review(client, request)),
    ]);
    const reads = plan.reads.map((planned, index) => planned.toCheck(outcomes[index]));
    const risks = plan.risks.map((planned, index) => planned.toCheck(outcomes[plan.reads.length + index]));
    const watchOffset = plan.reads.length + plan.risks.length;
    const watch = watching && {
      ...watching,
      reviews: watchPlan.map((planned, index) => planned.toCheck(outcomes[watchOffset + index])),
    };
    return { connection, argo, invalidNamespaces: namespaces.invalid, reads, risks, ...(watch ? { watch } : {}) };
  } catch (error) {
    return {
      connection: { ok: false, failure: toFailure(error) },
      invalidNamespaces: namespaces.invalid,
      reads: [],
      risks: [],
    };
  }
}

/** What `testDatasource()` returns for this data source. */
export async function checkHealth(
  client: KubeApi,
  settings: HealthSettings,
  watching?: WatchState
): Promise<HealthResult> {
  return buildHealthResult(await collectHealthChecks(client, settings, watching));
}
