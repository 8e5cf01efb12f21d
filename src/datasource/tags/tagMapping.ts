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
  /** Where the tags of one entry are written before they are copied or joined: one list for all entries. */
  scratch: string[];
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
    scratch: [],
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

/** Writes `t` at `count` when there is one; returns the new count. */
function addDefined(tags: string[], count: number, t: string | undefined): number {
  if (t === undefined) {
    return count;
  }
  tags[count] = t;
  return count + 1;
}

/**
 * Writes `t` at `count` unless it is blank or among the first `count` tags; returns the new count. Built-in tags
 * are never blank and never equal to each other; only the other tags can repeat one.
 */
function addNew(tags: string[], count: number, t: unknown): number {
  if (!isTag(t)) {
    return count;
  }
  for (let i = 0; i < count; i++) {
    if (tags[i] === t) {
      return count;
    }
  }
  tags[count] = t;
  return count + 1;
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
 * Writes the tags of an entry into `prepared.scratch` from its start (what lies beyond is left over from earlier
 * entries) and returns how many there are: the built-in tags in `BUILT_IN_TAGS` order, those without a value left
 * out, then the metadata, reason and static tags.
 */
function writeTags(prepared: PreparedMapping, rollout: RolloutTags, entry: EntryTagSubject): number {
  const tags = prepared.scratch;
  let count = 0;
  count = addDefined(tags, count, rollout.cluster);
  count = addDefined(tags, count, rollout.namespace);
  count = addDefined(tags, count, rollout.rollout);
  count = addDefined(tags, count, builtInTag(prepared, 'revision', entry.revision));
  count = addDefined(tags, count, builtInTag(prepared, 'reason', entry.reason));
  count = addDefined(tags, count, builtInTag(prepared, 'category', entry.category));
  count = addDefined(tags, count, builtInTag(prepared, 'outcome', entry.outcome));
  count = addDefined(tags, count, builtInTag(prepared, 'strategy', entry.strategy));
  count = addDefined(tags, count, builtInTag(prepared, 'precision', entry.precision));
  for (const t of rollout.metadata) {
    count = addNew(tags, count, t);
  }
  for (const rule of prepared.reasonRules) {
    if (rule && entry.reason !== undefined && rule.reason === entry.reason && Array.isArray(rule.tags)) {
      for (const t of rule.tags) {
        count = addNew(tags, count, t);
      }
    }
  }
  for (const t of prepared.staticTags) {
    count = addNew(tags, count, t);
  }
  return count;
}

function entryTags(prepared: PreparedMapping, rollout: RolloutTags, entry: EntryTagSubject): string[] {
  return prepared.scratch.slice(0, writeTags(prepared, rollout, entry));
}

function entryTagText(
  prepared: PreparedMapping,
  rollout: RolloutTags,
  entry: EntryTagSubject,
  separator: string
): string {
  // Joined rather than concatenated: one flat string, not a chain of pieces.
  return prepared.scratch.slice(0, writeTags(prepared, rollout, entry)).join(separator);
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
