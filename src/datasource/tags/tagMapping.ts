/** Tags the plugin can emit by itself, each as `<name>:<value>`. */
export const BUILT_IN_TAGS = [
  'cluster',
  'namespace',
  'rollout',
  'revision',
  'reason',
  'category',
  'outcome',
  'strategy',
  'precision',
] as const;
export type BuiltInTag = (typeof BUILT_IN_TAGS)[number];

/** Turns a Rollout label or annotation into a tag, e.g. `app.kubernetes.io/part-of` -> `app:checkout`. */
export interface MetadataTagRule {
  source: 'label' | 'annotation';
  key: string;
  /** Tag name to emit; the key itself when empty. */
  tagName?: string;
}

export interface ReasonTagRule {
  /** Event reason, exact match (e.g. `RolloutAborted`). */
  reason: string;
  tags: string[];
}

/** The tag mapping configured on the data source; the same rules apply wherever the plugin emits tags. */
export interface TagMapping {
  /** Built-in tags to leave out; all are emitted by default. */
  disabledBuiltIns?: BuiltInTag[];
  metadataRules?: MetadataTagRule[];
  reasonRules?: ReasonTagRule[];
  /** Added to every entry, as written. */
  staticTags?: string[];
}

export const DEFAULT_TAG_MAPPING: TagMapping = {
  disabledBuiltIns: [],
  metadataRules: [],
  reasonRules: [],
  staticTags: [],
};

/** What the tags of one timeline entry are computed from. */
export interface TagSubject {
  cluster?: string;
  namespace?: string;
  rollout?: string;
  revision?: number;
  reason?: string;
  category?: string;
  outcome?: string;
  strategy?: string;
  precision?: string;
  /** Labels and annotations of the Rollout the entry belongs to, when it is known. */
  rolloutLabels?: Record<string, string>;
  rolloutAnnotations?: Record<string, string>;
}

/** The part of a subject that is the same for every timeline entry of one Rollout. */
export type RolloutTagSubject = Pick<
  TagSubject,
  'cluster' | 'namespace' | 'rollout' | 'rolloutLabels' | 'rolloutAnnotations'
>;

/** The part of a subject that can differ between the entries of one Rollout. */
export type EntryTagSubject = Pick<
  TagSubject,
  'revision' | 'reason' | 'category' | 'outcome' | 'strategy' | 'precision'
>;

/** Tags one entry of a Rollout; see `tagsFor`. */
export interface EntryTagger {
  (entry: EntryTagSubject): string[];
  /** The same tags as one text, joined by `separator`. */
  text(entry: EntryTagSubject, separator: string): string;
}

type TagValue = string | number | undefined;

interface PreparedMapping {
  enabled: Record<BuiltInTag, boolean>;
  /** The `name:value` strings made so far, by built-in tag, when they are shared between many subjects. */
  made?: Record<BuiltInTag, Map<TagValue, string>>;
  metadataRules: readonly MetadataTagRule[];
  reasonRules: readonly ReasonTagRule[];
  staticTags: readonly unknown[];
}

function madeNone(): Record<BuiltInTag, Map<TagValue, string>> {
  const made = {} as Record<BuiltInTag, Map<TagValue, string>>;
  for (const name of BUILT_IN_TAGS) {
    made[name] = new Map();
  }
  return made;
}

function prepare(configured: TagMapping | undefined, shared: boolean): PreparedMapping {
  const mapping = configured ?? DEFAULT_TAG_MAPPING;
  const disabled = new Set<string>(listOrEmpty(mapping.disabledBuiltIns));
  return {
    enabled: {
      cluster: !disabled.has('cluster'),
      namespace: !disabled.has('namespace'),
      rollout: !disabled.has('rollout'),
      revision: !disabled.has('revision'),
      reason: !disabled.has('reason'),
      category: !disabled.has('category'),
      outcome: !disabled.has('outcome'),
      strategy: !disabled.has('strategy'),
      precision: !disabled.has('precision'),
    },
    made: shared ? madeNone() : undefined,
    metadataRules: listOrEmpty(mapping.metadataRules),
    reasonRules: listOrEmpty(mapping.reasonRules),
    staticTags: listOrEmpty(mapping.staticTags),
  };
}

function builtInTag(prepared: PreparedMapping, name: BuiltInTag, value: TagValue): string | undefined {
  if (value === undefined || value === '' || !prepared.enabled[name]) {
    return undefined;
  }
  const made = prepared.made?.[name];
  let text = made?.get(value);
  if (text === undefined) {
    text = `${name}:${value}`;
    made?.set(value, text);
  }
  return text;
}

function isTag(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function addDefined(tags: string[], t: string | undefined): void {
  if (t !== undefined) {
    tags.push(t);
  }
}

/**
 * Adds `t` unless it is blank or already there. Built-in tags are never blank and never equal to each other; only
 * the other tags can repeat one.
 */
function addNew(tags: string[], t: unknown): void {
  if (isTag(t) && !tags.includes(t)) {
    tags.push(t);
  }
}

/** The tags of a Rollout itself: the same for all its entries. */
interface RolloutTags {
  cluster?: string;
  namespace?: string;
  rollout?: string;
  metadata: string[];
}

function rolloutTags(rollout: RolloutTagSubject, prepared: PreparedMapping): RolloutTags {
  const clusterTag = builtInTag(prepared, 'cluster', rollout.cluster);
  const namespaceTag = builtInTag(prepared, 'namespace', rollout.namespace);
  const rolloutTag = builtInTag(prepared, 'rollout', rollout.rollout);
  const metadata: string[] = [];
  for (const rule of prepared.metadataRules) {
    if (!rule || typeof rule.key !== 'string' || rule.key === '') {
      continue;
    }
    const source = rule.source === 'annotation' ? rollout.rolloutAnnotations : rollout.rolloutLabels;
    const value = source?.[rule.key];
    if (typeof value === 'string') {
      const name = (typeof rule.tagName === 'string' ? rule.tagName.trim() : '') || rule.key;
      if (value !== '') {
        metadata.push(`${name}:${value}`);
      }
    }
  }
  return { cluster: clusterTag, namespace: namespaceTag, rollout: rolloutTag, metadata };
}

/**
 * The tags of an entry: the built-in tags in `BUILT_IN_TAGS` order, those without a value left out, then the
 * metadata, reason and static tags.
 */
function entryTags(prepared: PreparedMapping, rollout: RolloutTags, entry: EntryTagSubject): string[] {
  const tags: string[] = [];
  addDefined(tags, rollout.cluster);
  addDefined(tags, rollout.namespace);
  addDefined(tags, rollout.rollout);
  addDefined(tags, builtInTag(prepared, 'revision', entry.revision));
  addDefined(tags, builtInTag(prepared, 'reason', entry.reason));
  addDefined(tags, builtInTag(prepared, 'category', entry.category));
  addDefined(tags, builtInTag(prepared, 'outcome', entry.outcome));
  addDefined(tags, builtInTag(prepared, 'strategy', entry.strategy));
  addDefined(tags, builtInTag(prepared, 'precision', entry.precision));
  for (const t of rollout.metadata) {
    addNew(tags, t);
  }
  for (const rule of prepared.reasonRules) {
    if (rule && entry.reason !== undefined && rule.reason === entry.reason && Array.isArray(rule.tags)) {
      for (const t of rule.tags) {
        addNew(tags, t);
      }
    }
  }
  for (const t of prepared.staticTags) {
    addNew(tags, t);
  }
  return tags;
}

function entryTagText(
  prepared: PreparedMapping,
  rollout: RolloutTags,
  entry: EntryTagSubject,
  separator: string
): string {
  // Joined rather than concatenated: one flat string, not a chain of pieces.
  return entryTags(prepared, rollout, entry).join(separator);
}

/**
 * `tagsFor` for many entries under one mapping: the mapping is read once, the tags of a Rollout (cluster,
 * namespace, name, labels and annotations) once per Rollout, and each built-in `name:value` string is made once
 * and shared by every entry that has it.
 */
export function rolloutTagger(configured?: TagMapping): (rollout: RolloutTagSubject) => EntryTagger {
  const prepared = prepare(configured, true);
  return (rollout) => {
    // Made at the first entry: a Rollout with no entry in the range needs none.
    let tagsOfRollout: RolloutTags | undefined;
    const tagsOf = () => (tagsOfRollout ??= rolloutTags(rollout, prepared));
    const tagger = (entry: EntryTagSubject) => entryTags(prepared, tagsOf(), entry);
    tagger.text = (entry: EntryTagSubject, separator: string) => entryTagText(prepared, tagsOf(), entry, separator);
    return tagger;
  };
}

/** Built-in tags first, then metadata rules, reason rules and static tags; duplicates removed, order kept. */
export function tagsFor(subject: TagSubject, configured?: TagMapping): string[] {
  const prepared = prepare(configured, false);
  return entryTags(prepared, rolloutTags(subject, prepared), subject);
}

/** Mappings come from saved JSON: a field that is not a list counts as empty. */
function listOrEmpty<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}
