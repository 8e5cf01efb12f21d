import fc from 'fast-check';
import { rolloutTagger, type TagMapping, tagsFor } from './tagMapping';

const subject = {
  cluster: 'prod-eu',
  namespace: 'shop',
  rollout: 'checkout',
  revision: 7,
  reason: 'RolloutAborted',
  category: 'lifecycle',
  outcome: 'aborted',
  strategy: 'canary',
  precision: 'exact',
  rolloutLabels: { 'app.kubernetes.io/part-of': 'payments', team: 'core' },
  rolloutAnnotations: { 'example.com/owner': 'alice' },
};

describe('tagsFor', () => {
  it('returns every built-in tag as name:value when no mapping is configured', () => {
    expect(tagsFor(subject)).toEqual([
      'cluster:prod-eu',
      'namespace:shop',
      'rollout:checkout',
      'revision:7',
      'reason:RolloutAborted',
      'category:lifecycle',
      'outcome:aborted',
      'strategy:canary',
      'precision:exact',
    ]);
  });

  it('leaves out built-in tags that have no value', () => {
    expect(tagsFor({ cluster: 'c', namespace: 'ns', rollout: 'r', category: 'steps', precision: 'exact' })).toEqual([
      'cluster:c',
      'namespace:ns',
      'rollout:r',
      'category:steps',
      'precision:exact',
    ]);
  });

  it('leaves out disabled built-in tags', () => {
    const tags = tagsFor(subject, { disabledBuiltIns: ['precision', 'category', 'cluster'] });
    expect(tags).not.toContain('precision:exact');
    expect(tags).not.toContain('category:lifecycle');
    expect(tags).not.toContain('cluster:prod-eu');
    expect(tags).toContain('rollout:checkout');
  });

  it('turns a Rollout label into a renamed tag and an annotation into a tag named by its key', () => {
    const tags = tagsFor(subject, {
      disabledBuiltIns: [
        'cluster',
        'namespace',
        'rollout',
        'revision',
        'reason',
        'category',
        'outcome',
        'strategy',
        'precision',
      ],
      metadataRules: [
        { source: 'label', key: 'app.kubernetes.io/part-of', tagName: 'app' },
        { source: 'annotation', key: 'example.com/owner' },
        { source: 'label', key: 'missing-label', tagName: 'missing' },
      ],
    });
    expect(tags).toEqual(['app:payments', 'example.com/owner:alice']);
  });

  it('adds the extra tags of a matching event reason and the static tags, without duplicates', () => {
    const tags = tagsFor(subject, {
      disabledBuiltIns: [
        'cluster',
        'namespace',
        'rollout',
        'revision',
        'reason',
        'category',
        'outcome',
        'strategy',
        'precision',
      ],
      reasonRules: [
        { reason: 'RolloutAborted', tags: ['alert', 'deploy'] },
        { reason: 'RolloutCompleted', tags: ['done'] },
      ],
      staticTags: ['deploy', 'argo', ''],
    });
    expect(tags).toEqual(['alert', 'deploy', 'argo']);
  });

  it('ignores malformed rules instead of failing', () => {
    const broken = {
      metadataRules: [null, { source: 'label', key: '' }],
      reasonRules: [null, { reason: 'RolloutAborted', tags: 'not-a-list' }],
      staticTags: 'argo',
    } as unknown as Parameters<typeof tagsFor>[1];
    expect(tagsFor({ rollout: 'r', reason: 'RolloutAborted' }, broken)).toEqual(['rollout:r', 'reason:RolloutAborted']);
  });
});

describe('rolloutTagger', () => {
  const mappings: Array<TagMapping | undefined> = [
    undefined,
    { disabledBuiltIns: ['precision', 'cluster'] },
    {
      metadataRules: [
        { source: 'label', key: 'team', tagName: 'namespace' },
        { source: 'annotation', key: 'example.com/owner', tagName: ' owner ' },
        { source: 'label', key: 'app.kubernetes.io/part-of' },
      ],
      reasonRules: [
        { reason: 'RolloutAborted', tags: ['alert', 'reason:RolloutAborted', ''] },
        { reason: 'RolloutCompleted', tags: ['done'] },
      ],
      staticTags: ['env:prod', 'alert', ' ', 'env:prod'],
    },
  ];

  it('tags every entry of a Rollout as tagsFor does, as lists and as texts', () => {
    const entrySubject = fc.record(
      {
        revision: fc.integer({ min: 1, max: 4 }),
        reason: fc.constantFrom('RolloutAborted', 'RolloutCompleted', 'ScalingReplicaSet', ''),
        category: fc.constantFrom('lifecycle', 'steps'),
        outcome: fc.constantFrom('aborted', 'succeeded'),
        strategy: fc.constantFrom('canary', 'blueGreen'),
        precision: fc.constantFrom('exact', 'reconstructed'),
      },
      { requiredKeys: [] }
    );
    const rolloutSubject = fc.record(
      {
        cluster: fc.constantFrom('prod-eu', ''),
        namespace: fc.constantFrom('shop', 'team:core'),
        rollout: fc.constantFrom('checkout', 'web'),
        rolloutLabels: fc.constant(subject.rolloutLabels),
        rolloutAnnotations: fc.constant(subject.rolloutAnnotations),
      },
      { requiredKeys: [] }
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...mappings),
        rolloutSubject,
        fc.array(entrySubject, { maxLength: 6 }),
        (mapping, rollout, entries) => {
          const tagsOf = rolloutTagger(mapping)(rollout);
          for (const e of entries) {
            const expected = tagsFor({ ...rollout, ...e }, mapping);
            expect(tagsOf(e)).toEqual(expected);
            expect(tagsOf.text(e, ',')).toBe(expected.join(','));
          }
        }
      ),
      { numRuns: 500 }
    );
  });

  it('tags with the key when a rule names its tag with something other than text, as tagsFor does', () => {
    const broken = { metadataRules: [{ source: 'label', key: 'team', tagName: 5 }] } as unknown as TagMapping;
    const labelled = { ...subject, rolloutLabels: { team: 'payments' } };
    expect(tagsFor(labelled, broken)).toContain('team:payments');
    expect(rolloutTagger(broken)(labelled)(labelled)).toEqual(tagsFor(labelled, broken));
  });
});
