import { rbacGrantAdvice } from '../kube/errors';

import type { AccessOutcome, HealthChecks, HealthResult, ReadCheck, RiskCheck, WatchCheck } from './types';

const PASS = '✓';
const FAIL = '✗';
const WARN = '!';

type Severity = 'pass' | 'warn' | 'fail';

interface Line {
  severity: Severity;
  text: string;
}

const MARK: Record<Severity, string> = { pass: PASS, warn: WARN, fail: FAIL };

function scopeText(namespaces: Array<string | undefined>): string {
  const named = namespaces.filter((namespace): namespace is string => namespace !== undefined);
  if (named.length < namespaces.length) {
    return 'in all namespaces';
  }
  return named.length === 1 ? `in namespace ${named[0]}` : `in namespaces ${named.join(', ')}`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  }
  return groups;
}

function is(state: AccessOutcome['state']) {
  return (check: { outcome: AccessOutcome }) => check.outcome.state === state;
}

function firstFailureMessage(checks: Array<{ outcome: AccessOutcome }>): string | undefined {
  for (const check of checks) {
    if (check.outcome.state === 'unknown') {
      return check.outcome.failure.message;
    }
  }
  return undefined;
}

interface ReadSummary {
  resource: string;
  optional: boolean;
  readable: boolean;
  denied: ReadCheck[];
  unknown: ReadCheck[];
  checks: ReadCheck[];
}

function summarizeReads(reads: ReadCheck[]): ReadSummary[] {
  return [...groupBy(reads, (check) => check.resource)].map(([resource, checks]) => ({
    resource,
    optional: checks.every((check) => check.optional),
    readable: checks.every(is('allowed')),
    denied: checks.filter(is('denied')),
    unknown: checks.filter(is('unknown')),
    checks,
  }));
}

function readLine(summary: ReadSummary): Line {
  const scopes = summary.checks.map((check) => check.namespace);
  if (summary.readable) {
    return { severity: 'pass', text: `list ${summary.resource} ${scopeText(scopes)}` };
  }
  const severity: Severity = summary.optional || summary.denied.length === 0 ? 'warn' : 'fail';
  const parts: string[] = [];
  if (summary.denied.length > 0) {
    const reason = summary.denied.find((check) => check.outcome.state === 'denied' && check.outcome.reason);
    const reasonText = reason?.outcome.state === 'denied' ? ` (${reason.outcome.reason})` : '';
    parts.push(`cannot list ${summary.resource} ${scopeText(summary.denied.map((c) => c.namespace))}${reasonText}`);
  }
  if (summary.unknown.length > 0) {
    parts.push(
      `could not check list ${summary.resource} ${scopeText(summary.unknown.map((c) => c.namespace))}: ` +
        firstFailureMessage(summary.unknown)
    );
  }
  return { severity, text: parts.join('; ') };
}

function riskLines(risks: RiskCheck[]): Line[] {
  const lines: Line[] = [];
  for (const [risk, checks] of groupBy(risks, (check) => check.risk)) {
    const allowed = checks.filter(is('allowed'));
    const unknown = checks.filter(is('unknown'));
    const subject = risk === 'readsSecrets' ? 'read Secrets' : 'change objects';
    for (const [access, granted] of groupBy(allowed, (check) => `${check.verb} ${check.resource}`)) {
      const what = access === '* *' ? 'do everything (* on *)' : access;
      lines.push({
        severity: 'warn',
        text: `can ${what} ${scopeText(granted.map((check) => check.namespace))}: every viewer of this data source borrows this access`,
      });
    }
    if (unknown.length > 0) {
      lines.push({
        severity: 'warn',
        text: `could not check whether this identity can ${subject}: ${firstFailureMessage(unknown)}`,
      });
    }
    if (allowed.length === 0 && unknown.length === 0) {
      lines.push({ severity: 'pass', text: `cannot ${subject}` });
    }
  }
  return lines;
}

function riskWarning(risks: RiskCheck[]): string | undefined {
  const allowed = risks.filter(is('allowed'));
  if (allowed.length === 0) {
    return undefined;
  }
  const readsSecrets = allowed.some((check) => check.risk === 'readsSecrets');
  const writes = allowed.some((check) => check.risk === 'writes');
  const what =
    readsSecrets && writes ? 'read Secrets and change objects' : readsSecrets ? 'read Secrets' : 'change objects';
  return (
    `This identity can ${what}, and every viewer of this data source borrows its access. ` +
    'Use a ServiceAccount bound only to the read-only ClusterRole (or Role) from deploy/.'
  );
}

const LISTS_INSTEAD = 'the panels list again at every refresh and do not update by themselves';

/**
 * Whether the panels are kept current by watches. Not being able to watch is a warning: the data source falls back
 * to a list at every refresh, which works, with more load on the API server and no live panels.
 */
function watchLines(watch: WatchCheck): Line[] {
  if (!watch.streaming) {
    return [
      { severity: 'warn', text: `this data source cannot stream responses, so it cannot watch: ${LISTS_INSTEAD}` },
    ];
  }
  const lines: Line[] = [];
  for (const [resource, reviews] of groupBy(watch.reviews, (review) => review.resource)) {
    const denied = reviews.filter(is('denied'));
    if (denied.length > 0) {
      lines.push({
        severity: 'warn',
        text: `cannot watch ${resource} ${scopeText(denied.map((review) => review.namespace))}: ${LISTS_INSTEAD} (grant the watch verb, as deploy/ does)`,
      });
    }
  }
  for (const fallback of watch.fallbacks) {
    lines.push({
      severity: 'warn',
      text: `${fallback.resource} ${scopeText([fallback.namespace])} is read by a list at every refresh: ${fallback.reason}`,
    });
  }
  if (lines.length === 0) {
    const watched = [...new Set(watch.reviews.filter(is('allowed')).map((review) => review.resource))];
    if (watched.length > 0) {
      lines.push({ severity: 'pass', text: `watch ${watched.join(', ')}: panels update as the cluster changes` });
    }
  }
  return lines;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function render(lines: Line[]): string {
  return lines.map((line) => `${MARK[line.severity]} ${line.text}`).join('\n');
}

/** Turns the collected checks into what `testDatasource()` returns. Pure. */
export function buildHealthResult(checks: HealthChecks): HealthResult {
  const { connection } = checks;
  if (!connection.ok) {
    return {
      status: 'error',
      message: connection.failure.message,
      details: { verboseMessage: render([{ severity: 'fail', text: `API server: ${connection.failure.message}` }]) },
    };
  }

  const lines: Line[] = [{ severity: 'pass', text: `API server reachable: Kubernetes ${connection.version}` }];
  const errors: string[] = [];
  const warnings: string[] = [];
  const { argo } = checks;

  if (argo?.ok) {
    const rolloutsServed = argo.served.includes('rollouts');
    const servedText = argo.served.length > 0 ? `serves ${argo.served.join(', ')}` : 'serves none of our kinds';
    if (!rolloutsServed) {
      lines.push({ severity: 'fail', text: `Argo Rollouts API ${argo.groupVersion} ${servedText}` });
      errors.push(
        `The ${argo.groupVersion} API does not serve rollouts: install the Argo Rollouts CRDs in this cluster.`
      );
    } else if (argo.missing.length > 0) {
      lines.push({
        severity: 'warn',
        text: `Argo Rollouts API ${argo.groupVersion} ${servedText}, but not ${argo.missing.join(', ')}`,
      });
      warnings.push(
        `The ${argo.groupVersion} API does not serve ${argo.missing.join(', ')}; upgrade the Argo Rollouts CRDs.`
      );
    } else {
      lines.push({ severity: 'pass', text: `Argo Rollouts API ${argo.groupVersion} ${servedText}` });
    }
  } else if (argo) {
    if (argo.failure.kind === 'crdMissing') {
      lines.push({ severity: 'fail', text: `Argo Rollouts API ${argo.groupVersion}: ${argo.failure.message}` });
      errors.push(argo.failure.message);
    } else {
      lines.push({
        severity: 'warn',
        text: `could not check the Argo Rollouts API ${argo.groupVersion}: ${argo.failure.message}`,
      });
      warnings.push(argo.failure.message);
    }
  }

  for (const namespace of checks.invalidNamespaces) {
    const text = `default namespace "${namespace}" is not a valid namespace name; fix it in the data source settings`;
    lines.push({ severity: 'fail', text });
    errors.push(`The ${text}.`);
  }

  const reads = summarizeReads(checks.reads);
  const everyReviewFailed =
    checks.reads.length + checks.risks.length > 0 && [...checks.reads, ...checks.risks].every(is('unknown'));
  if (everyReviewFailed) {
    const message = firstFailureMessage([...checks.reads, ...checks.risks]) ?? '';
    lines.push({ severity: 'warn', text: `could not run access reviews (SelfSubjectAccessReview): ${message}` });
    warnings.push(`Could not check what this identity may read: ${message}`);
  } else {
    for (const summary of reads) {
      const line = readLine(summary);
      lines.push(line);
      const firstDenied = summary.denied[0];
      if (line.severity === 'fail' && firstDenied) {
        errors.push(
          `This identity cannot list ${summary.resource} ${scopeText(summary.denied.map((c) => c.namespace))}. ` +
            rbacGrantAdvice(firstDenied.namespace)
        );
      } else if (line.severity === 'warn') {
        warnings.push(`${line.text}.`);
      }
    }
    lines.push(...riskLines(checks.risks));
    const risk = riskWarning(checks.risks);
    if (risk) {
      warnings.unshift(risk);
    } else if (checks.risks.some(is('unknown'))) {
      warnings.push(
        `Could not check whether this identity can read Secrets or change objects: ${firstFailureMessage(checks.risks.filter(is('unknown')))}`
      );
    }
  }

  if (checks.watch) {
    const watchWarnings = watchLines(checks.watch);
    lines.push(...watchWarnings);
    warnings.push(...watchWarnings.filter((line) => line.severity === 'warn').map((line) => `${line.text}.`));
  }

  const readable = reads.filter((summary) => summary.readable).length;
  const argoText = argo?.ok && argo.served.includes('rollouts') ? ' with Argo Rollouts' : '';
  const summary =
    `Connected to Kubernetes ${connection.version}${argoText}` +
    (everyReviewFailed || reads.length === 0 ? '' : `; ${readable}/${reads.length} resources readable`);
  const verboseMessage = render(lines);

  if (errors.length > 0) {
    return { status: 'error', message: errors[0], details: { message: summary, verboseMessage } };
  }
  if (warnings.length > 0) {
    return { status: 'warning', message: `${summary}. ${sentence(warnings[0])}`, details: { verboseMessage } };
  }
  return { status: 'success', message: summary, details: { verboseMessage } };
}
