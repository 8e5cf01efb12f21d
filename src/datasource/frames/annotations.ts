import { createDataFrame, FieldType, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';
import type { EntryTags, Outcome, SourceRef, TimelineEntry } from '../timeline/types';

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
  /** Cells made by earlier frames, for entries shown again: see `AnnotationCells`. */
  cells?: AnnotationCells;
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
const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;

function escapeHtml(text: string): string {
  // Most lines need no escaping: finding that out is much cheaper than replacing.
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (c) => HTML_ESCAPES[c]) : text;
}

/** The base URL of rollout links, or undefined when none is configured or it is not http(s). */
function linkBase(baseUrl: string | undefined): string | undefined {
  const base = baseUrl?.trim();
  return base && /^https?:\/\//i.test(base) ? base : undefined;
}

/** The link to one rollout, or undefined when no base URL is configured or it is not http(s). */
export function rolloutLink(baseUrl: string | undefined, namespace: string, rollout: string): string | undefined {
  const base = linkBase(baseUrl);
  return base === undefined ? undefined : linkFrom(base, namespace, rollout);
}

function linkFrom(base: string, namespace: string, rollout: string): string {
  const ns = encodeURIComponent(namespace);
  const name = encodeURIComponent(rollout);
  if (base.includes('{namespace}') || base.includes('{rollout}')) {
    return base.split('{namespace}').join(ns).split('{rollout}').join(name);
  }
  return `${base.replace(/\/+$/, '')}/rollout/${ns}/${name}`;
}

/** A short headline: who, which revision, what. */
export function annotationTitle(entry: TimelineEntry): string {
  const { revision, span, outcome, analysis, step } = entry;
  const who = `${entry.rollout}${revision !== undefined ? ` rev ${revision}` : ''}`;
  let what: string;
  if (span === 'revision') {
    what = `rollout ${OUTCOME_WORDS[outcome ?? 'unknown']}`;
  } else if (analysis) {
    what = `analysis ${analysis.phase || 'running'}${analysis.failingMetric ? ` (${analysis.failingMetric})` : ''}`;
  } else if (step) {
    what = `step ${step.index}/${step.total}${step.weight !== undefined ? ` (weight ${step.weight}%)` : ''}`;
    // An Experiment or plugin step: what it was and how it ended.
    if ((span === 'experiment' || entry.reason === 'StepPluginTransition') && outcome) {
      what += ` (${step.description ?? 'experiment'}) ${OUTCOME_WORDS[outcome]}`;
    }
  } else {
    const reason = entry.reason;
    if (span === 'pause') {
      what = 'paused';
    } else {
      what = reason ?? entry.message;
      if (outcome && reason) {
        what += ` (${OUTCOME_WORDS[outcome]})`;
      }
    }
  }
  return `${who}: ${what}`;
}

/**
 * Where an entry was seen, when more than one record reports it: the objects by kind and name, then how many
 * Events (their names are generated).
 */
function seenIn(sources: readonly SourceRef[]): string | undefined {
  if (sources.length < 2) {
    return undefined;
  }
  const objects: string[] = [];
  let events = 0;
  for (const source of sources) {
    if (source.kind === 'Event') {
      events++;
    } else {
      objects.push(`${source.kind} ${source.name}`);
    }
  }
  if (events > 0) {
    objects.push(events === 1 ? 'an Event' : `${events} Events`);
  }
  const last = objects.pop()!;
  return `Seen in: ${objects.length > 0 ? `${objects.join(', ')} and ${last}` : last}`;
}

/** When a span happened: from start to end, or at one instant when it is drawn as a point. */
function spanTime(entry: TimelineEntry): string {
  if (entry.kind === 'region') {
    return `From ${formatTime(entry.time)} to ${formatTime(entry.timeEnd)}`;
  }
  return entry.endUnknown
    ? `Started ${formatTime(entry.time)}; its end is not recorded`
    : `Started and ended at ${formatTime(entry.time)} (within the same second)`;
}

/** What happened, line by line, in words a person reads at a glance. */
export function annotationLines(entry: TimelineEntry): string[] {
  // Each field read once: entries come in many shapes, so each read is slow.
  const { message, revision, strategy, images, step, analysis, outcome, count, span, sources } = entry;
  const lines: string[] = [message];
  for (const related of entry.relatedMessages ?? []) {
    lines.push(`Also: ${related}`);
  }
  let subject = `Rollout ${entry.namespace}/${entry.rollout}`;
  if (revision !== undefined) {
    subject += `, revision ${revision}`;
  }
  if (strategy) {
    subject += strategy === 'blueGreen' ? ', blue-green' : ', canary';
  }
  lines.push(subject);
  if (images?.length) {
    lines.push(`${images.length === 1 ? 'Image' : 'Images'}: ${images.join(', ')}`);
  }
  if (step) {
    const weight = step.weight !== undefined ? `, weight ${step.weight}%` : '';
    lines.push(`Step ${step.index}/${step.total}${weight}${step.description ? ` (${step.description})` : ''}`);
  }
  if (analysis) {
    const a = analysis;
    lines.push(`Analysis ${a.type ? `(${a.type}) ` : ''}${a.name}: ${a.phase || 'running'}`);
    if (a.failingMetric) {
      lines.push(`Failing metric: ${a.failingMetric}${a.message ? `: ${a.message}` : ''}`);
    } else if (a.message && a.message !== message && !message.includes(a.message)) {
      lines.push(a.message);
    }
  }
  if (outcome) {
    lines.push(`Outcome: ${OUTCOME_WORDS[outcome]}`);
  }
  if (count !== undefined && count > 1) {
    const { firstTime, lastTime } = entry;
    const first = firstTime !== undefined ? formatTime(firstTime) : 'unknown';
    const last = lastTime !== undefined ? formatTime(lastTime) : 'unknown';
    lines.push(`Seen ${count} times (first ${first}, last ${last})`);
  }
  if (entry.aggregated) {
    lines.push('Similar messages were combined by the event recorder; the latest is shown');
  }
  if (span !== undefined) {
    lines.push(spanTime(entry));
  }
  lines.push(`Timing (${entry.precision}): ${entry.derivation}`);
  const seen = seenIn(sources);
  if (seen !== undefined) {
    lines.push(seen);
  }
  return lines;
}

export function annotationText(entry: TimelineEntry, options: AnnotationFrameOptions = {}): string {
  return textOf(entry, options.textFormat === 'plain', linkBase(options.linkBaseUrl));
}

/** `base` is a valid link base URL (see `linkBase`), or undefined for no link. */
function textOf(entry: TimelineEntry, plain: boolean, base: string | undefined): string {
  const link = base === undefined ? undefined : linkFrom(base, entry.namespace, entry.rollout);
  const lines = annotationLines(entry);
  if (plain) {
    if (link) {
      lines.push(`Open rollout: ${link}`);
    }
    return lines.join('\n');
  }
  for (let i = 0; i < lines.length; i++) {
    lines[i] = escapeHtml(lines[i]);
  }
  if (link) {
    lines.push(
      `<a href="${escapeHtml(link)}" target="_blank" rel="noopener noreferrer">Open ${escapeHtml(entry.rollout)}</a>`
    );
  }
  return lines.join('<br>');
}

interface Cells {
  title: string;
  text: string;
  tags: string[];
}

/**
 * The title, text and tags of entries' rows, each made once per entry for one link base and text format: entries
 * never change (a change of a Rollout's objects makes new ones), and most entries of an annotation query are shown
 * again at the next refresh. Kept while the entry is.
 */
export class AnnotationCells {
  private readonly made = new WeakMap<TimelineEntry, Cells>();
  private readonly plain: boolean;
  private readonly base: string | undefined;

  constructor(options: Pick<AnnotationFrameOptions, 'linkBaseUrl' | 'textFormat'>) {
    this.plain = options.textFormat === 'plain';
    this.base = linkBase(options.linkBaseUrl);
  }

  /** `tagsOf` is the one of the entry's timeline: the same for an entry whenever it is asked. */
  of(entry: TimelineEntry, tagsOf: EntryTags): Cells {
    let cells = this.made.get(entry);
    if (cells === undefined) {
      cells = { title: annotationTitle(entry), text: textOf(entry, this.plain, this.base), tags: tagsOf(entry) };
      this.made.set(entry, cells);
    }
    return cells;
  }

  /** Whether cells made here are what `options` ask for. */
  suits(options: Pick<AnnotationFrameOptions, 'linkBaseUrl' | 'textFormat'>): boolean {
    return this.plain === (options.textFormat === 'plain') && this.base === linkBase(options.linkBaseUrl);
  }
}

/**
 * One annotation frame with `time`, `timeEnd`, `title`, `text`, `tags` and `id`. Points carry
 * `timeEnd === time`: a null end in one row would break the regions after it, and Grafana draws a row as a
 * region only when its end differs from its start.
 */
export function toAnnotationFrame(
  entries: readonly TimelineEntry[],
  tagsOf: EntryTags,
  options: AnnotationFrameOptions = {}
): DataFrame {
  const notices: QueryResultMetaNotice[] = (options.notices ?? []).map((text) => ({ severity: 'warning', text }));
  const cellsOf = options.cells?.suits(options) ? options.cells : new AnnotationCells(options);
  const n = entries.length;
  const times = new Array<number>(n);
  const ends = new Array<number>(n);
  const titles = new Array<string>(n);
  const texts = new Array<string>(n);
  const tags = new Array<string[]>(n);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    const time = entry.time;
    times[i] = time;
    ends[i] = entry.kind === 'point' ? time : entry.timeEnd;
    const cells = cellsOf.of(entry, tagsOf);
    titles[i] = cells.title;
    texts[i] = cells.text;
    // Each frame its own tag lists: a panel may change the lists it is given.
    tags[i] = [...cells.tags];
    ids[i] = entry.id;
  }
  return createDataFrame({
    refId: options.refId,
    name: 'annotations',
    fields: [
      { name: 'time', type: FieldType.time, values: times },
      { name: 'timeEnd', type: FieldType.time, values: ends },
      { name: 'title', type: FieldType.string, values: titles },
      { name: 'text', type: FieldType.string, values: texts },
      { name: 'tags', type: FieldType.other, values: tags },
      { name: 'id', type: FieldType.string, values: ids },
    ],
    meta: notices.length > 0 ? { notices } : undefined,
  });
}
