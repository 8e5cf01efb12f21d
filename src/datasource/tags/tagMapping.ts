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

function tag(name: string, value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  return `${name}:${value}`;
}

/** Built-in tags first, then metadata rules, reason rules and static tags; duplicates removed, order kept. */
export function tagsFor(subject: TagSubject, configured?: TagMapping): string[] {
  const mapping = configured ?? DEFAULT_TAG_MAPPING;
  const disabled = new Set<string>(listOrEmpty(mapping.disabledBuiltIns));
  const builtIns: Record<BuiltInTag, string | number | undefined> = {
    cluster: subject.cluster,
    namespace: subject.namespace,
    rollout: subject.rollout,
    revision: subject.revision,
    reason: subject.reason,
    category: subject.category,
    outcome: subject.outcome,
    strategy: subject.strategy,
    precision: subject.precision,
  };
  const tags: Array<string | undefined> = [];
  for (const name of BUILT_IN_TAGS) {
    if (!disabled.has(name)) {
      tags.push(tag(name, builtIns[name]));
    }
  }
  for (const rule of listOrEmpty(mapping.metadataRules)) {
    if (!rule || typeof rule.key !== 'string' || rule.key === '') {
      continue;
    }
    const source = rule.source === 'annotation' ? subject.rolloutAnnotations : subject.rolloutLabels;
    const value = source?.[rule.key];
    if (typeof value === 'string') {
      tags.push(tag(rule.tagName?.trim() || rule.key, value));
    }
  }
  for (const rule of listOrEmpty(mapping.reasonRules)) {
    if (rule && subject.reason !== undefined && rule.reason === subject.reason && Array.isArray(rule.tags)) {
      tags.push(...rule.tags);
    }
  }
  tags.push(...listOrEmpty(mapping.staticTags));
  return uniqueNonEmpty(tags);
}

/** Mappings come from saved JSON: a field that is not a list counts as empty. */
function listOrEmpty<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

function uniqueNonEmpty(tags: Array<string | undefined>): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const t of tags) {
    if (typeof t === 'string' && t.trim() !== '' && !seen.has(t)) {
      seen.add(t);
      result.push(t);
    }
  }
  return result;
}
