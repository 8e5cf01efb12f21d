import type { Rollout } from '../../model/argo';
import { rolloutTagger, type EntryTagger, type RolloutTagSubject, type TagMapping } from '../../tags/tagMapping';
import { TAGS_SEPARATOR } from './fields';
import type { NamespacedIndex } from './objects';
import { strategyOf, type RolloutStrategy } from './rollouts';

/** What the tags of a row say beyond its Rollout. */
export interface RowTagSubject {
  revision?: number;
  reason?: string;
  category?: string;
  outcome?: string;
}

interface RolloutTags {
  tagger: EntryTagger;
  strategy?: RolloutStrategy;
}

/**
 * The tag texts (see `tagsText`) of the rows of one table. The rows of one Rollout share its tags (cluster,
 * namespace, name, strategy, labels and annotations): those are looked up and mapped once per Rollout.
 */
export class TagTexts {
  private readonly byNamespace = new Map<string, Map<string | undefined, RolloutTags>>();
  private readonly taggerOf: (rollout: RolloutTagSubject) => EntryTagger;

  constructor(
    private readonly cluster: string,
    mapping: TagMapping | undefined,
    /** The listed Rollouts: a row about one of them gets its strategy, labels and annotations. */
    private readonly rollouts: Pick<NamespacedIndex<Rollout>, 'get'>
  ) {
    this.taggerOf = rolloutTagger(mapping);
  }

  /** `rolloutName` may name a Rollout that is not listed, or be unknown. */
  textOf(
    namespace: string,
    rolloutName: string | undefined,
    { revision, reason, category, outcome }: RowTagSubject
  ): string {
    const { tagger, strategy } = this.rolloutTags(namespace, rolloutName);
    return tagger.text({ revision, reason, category, outcome, strategy }, TAGS_SEPARATOR);
  }

  private rolloutTags(namespace: string, rolloutName: string | undefined): RolloutTags {
    let byName = this.byNamespace.get(namespace);
    if (!byName) {
      byName = new Map();
      this.byNamespace.set(namespace, byName);
    }
    let tags = byName.get(rolloutName);
    if (!tags) {
      const rollout = rolloutName !== undefined ? this.rollouts.get(namespace, rolloutName) : undefined;
      const tagger = this.taggerOf({
        cluster: this.cluster,
        namespace,
        rollout: rolloutName,
        rolloutLabels: rollout?.metadata?.labels,
        rolloutAnnotations: rollout?.metadata?.annotations,
      });
      tags = { tagger, strategy: rollout ? strategyOf(rollout) : undefined };
      byName.set(rolloutName, tags);
    }
    return tags;
  }
}
