import { createDataFrame, FieldType, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';
import type { Outcome, TimelineEntry } from '../timeline/types';

export interface AnnotationFrameOptions {
  /**
   * Base URL of a rollout viewer, e.g. the Argo Rollouts dashboard `https://rollouts.example.com/rollouts`.
   * `{namespace}` and `{rollout}` are replaced when present; otherwise `/rollout/<namespace>/<rollout>` is appended.
   */
  linkBaseUrl?: string;
  /** `html` (default) for Grafana's annotation tooltip, which renders sanitized HTML; `plain` for text. */
  textFormat?: 'html' | 'plain';
  notices?: string[];
  refId?: string;
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  succeeded: 'succeeded',
  aborted: 'aborted',
  failed: 'failed',
  superseded: 'superseded',
  rolledBack: 'rolled back',
  inProgress: 'in progress',
  degraded: 'degraded',
  unknown: 'outcome unknown',
};

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z').replace('T', ' ');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The link to one rollout, or undefined when no base URL is configured or it is not http(s). */
export function rolloutLink(baseUrl: string | undefined, namespace: string, rollout: string): string | undefined {
  const base = baseUrl?.trim();
  if (!base || !/^https?:\/\//i.test(base)) {
    return undefined;
  }
  const ns = encodeURIComponent(namespace);
  const name = encodeURIComponent(rollout);
  if (base.includes('{namespace}') || base.includes('{rollout}')) {
    return base.split('{namespace}').join(ns).split('{rollout}').join(name);
  }
  return `${base.replace(/\/+$/, '')}/rollout/${ns}/${name}`;
}

/** Revision regions are the only regions of the lifecycle category (pauses are steps, runs are analysis). */
function isRevisionRegion(entry: TimelineEntry): boolean {
  return entry.kind === 'region' && entry.category === 'lifecycle';
}

/** A short headline: who, which revision, what. */
export function annotationTitle(entry: TimelineEntry): string {
  const who = `${entry.rollout}${entry.revision !== undefined ? ` rev ${entry.revision}` : ''}`;
  let what: string;
  if (isRevisionRegion(entry)) {
    what = `rollout ${OUTCOME_WORDS[entry.outcome ?? 'unknown']}`;
  } else if (entry.analysis) {
    what = `analysis ${entry.analysis.phase || 'running'}${entry.analysis.failingMetric ? ` (${entry.analysis.failingMetric})` : ''}`;
  } else if (entry.step) {
    what = `step ${entry.step.index}/${entry.step.total}${entry.step.weight !== undefined ? ` (weight ${entry.step.weight}%)` : ''}`;
  } else if (entry.kind === 'region' && entry.reason === 'RolloutPaused') {
    what = 'paused';
  } else {
    what = entry.reason ?? entry.message;
    if (entry.outcome && entry.reason) {
      what += ` (${OUTCOME_WORDS[entry.outcome]})`;
    }
  }
  return `${who}: ${what}`;
}

/** What happened, line by line, in words a person reads at a glance. */
export function annotationLines(entry: TimelineEntry): string[] {
  const lines: string[] = [entry.message];
  for (const message of entry.relatedMessages ?? []) {
    lines.push(`Also: ${message}`);
  }
  let subject = `Rollout ${entry.namespace}/${entry.rollout}`;
  if (entry.revision !== undefined) {
    subject += `, revision ${entry.revision}`;
  }
  if (entry.strategy) {
    subject += entry.strategy === 'blueGreen' ? ', blue-green' : ', canary';
  }
  lines.push(subject);
  if (entry.images?.length) {
    lines.push(`${entry.images.length === 1 ? 'Image' : 'Images'}: ${entry.images.join(', ')}`);
  }
  if (entry.step) {
    const weight = entry.step.weight !== undefined ? `, weight ${entry.step.weight}%` : '';
    lines.push(
      `Step ${entry.step.index}/${entry.step.total}${weight}${entry.step.description ? ` (${entry.step.description})` : ''}`
    );
  }
  if (entry.analysis) {
    const a = entry.analysis;
    lines.push(`Analysis ${a.type ? `(${a.type}) ` : ''}${a.name}: ${a.phase || 'running'}`);
    if (a.failingMetric) {
      lines.push(`Failing metric: ${a.failingMetric}${a.message ? `: ${a.message}` : ''}`);
    } else if (a.message && a.message !== entry.message && !entry.message.includes(a.message)) {
      lines.push(a.message);
    }
  }
  if (entry.outcome) {
    lines.push(`Outcome: ${OUTCOME_WORDS[entry.outcome]}`);
  }
  if (entry.count !== undefined && entry.count > 1) {
    const first = entry.firstTime !== undefined ? formatTime(entry.firstTime) : 'unknown';
    const last = entry.lastTime !== undefined ? formatTime(entry.lastTime) : 'unknown';
    lines.push(`Seen ${entry.count} times (first ${first}, last ${last})`);
  }
  if (entry.aggregated) {
    lines.push('Similar messages were combined by the event recorder; the latest is shown');
  }
  if (entry.kind === 'region') {
    lines.push(`From ${formatTime(entry.time)} to ${formatTime(entry.timeEnd)}`);
  }
  lines.push(`Timing (${entry.precision}): ${entry.derivation}`);
  return lines;
}

export function annotationText(entry: TimelineEntry, options: AnnotationFrameOptions = {}): string {
  const link = rolloutLink(options.linkBaseUrl, entry.namespace, entry.rollout);
  const lines = annotationLines(entry);
  if (options.textFormat === 'plain') {
    if (link) {
      lines.push(`Open rollout: ${link}`);
    }
    return lines.join('\n');
  }
  const html = lines.map(escapeHtml);
  if (link) {
    html.push(
      `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">Open ${escapeHtml(entry.rollout)}</a>`
    );
  }
  return html.join('<br>');
}

/**
 * One annotation frame with `time`, `timeEnd`, `title`, `text`, `tags` and `id`. Points carry
 * `timeEnd === time`: a null end in one row would break the regions after it, and Grafana draws a row as a
 * region only when its end differs from its start.
 */
export function toAnnotationFrame(entries: readonly TimelineEntry[], options: AnnotationFrameOptions = {}): DataFrame {
  const notices: QueryResultMetaNotice[] = (options.notices ?? []).map((text) => ({ severity: 'warning', text }));
  return createDataFrame({
    refId: options.refId,
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: entries.map((e) => e.time) },
      { name: 'timeEnd', type: FieldType.time, values: entries.map((e) => (e.kind === 'point' ? e.time : e.timeEnd)) },
      { name: 'title', type: FieldType.string, values: entries.map(annotationTitle) },
      { name: 'text', type: FieldType.string, values: entries.map((e) => annotationText(e, options)) },
      { name: 'tags', type: FieldType.other, values: entries.map((e) => e.tags.slice()) },
      { name: 'id', type: FieldType.string, values: entries.map((e) => e.id) },
    ],
    meta: notices.length > 0 ? { notices } : undefined,
  });
}
