import { FieldType } from '@grafana/data';
import { AnnotationCells, annotationText, annotationTitle, rolloutLink, toAnnotationFrame } from './annotations';
import type { TimelineEntry } from '../timeline/types';

/** Entries with their tags at hand, as the timeline's `tagsOf` would make them. */
type TaggedEntry = TimelineEntry & { tags: string[] };
const tagsOf = (e: TimelineEntry) => (e as TaggedEntry).tags;

const base: TaggedEntry = {
  id: 'rl-1',
  kind: 'point',
  time: Date.parse('2026-11-20T10:01:07Z'),
  timeEnd: Date.parse('2026-11-20T10:01:07Z'),
  namespace: 'shop',
  rollout: 'checkout',
  category: 'lifecycle',
  precision: 'exact',
  derivation: 'time from the RolloutAborted Event',
  message: 'Rollout aborted update to revision 2',
  sources: [],
  tags: ['rollout:checkout', 'outcome:aborted'],
};

const point: TaggedEntry = {
  ...base,
  reason: 'RolloutAborted',
  outcome: 'aborted',
  revision: 2,
  images: ['shop/checkout:1.1'],
};
const region: TaggedEntry = {
  ...base,
  id: 'rl-2',
  kind: 'region',
  span: 'revision',
  time: Date.parse('2026-11-20T10:00:00Z'),
  timeEnd: Date.parse('2026-11-20T10:01:07Z'),
  revision: 2,
  outcome: 'aborted',
  strategy: 'canary',
  images: ['shop/checkout:1.1', 'shop/sidecar:3'],
  precision: 'reconstructed',
  derivation: 'start reconstructed from the creation of ReplicaSet checkout-bbb; ended at status.abortedAt',
  message: 'Revision 2 aborted: analysis failed',
  tags: ['rollout:checkout', 'revision:2'],
};

function column(frame: ReturnType<typeof toAnnotationFrame>, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`no field ${name}`);
  }
  return [...field.values];
}

describe('toAnnotationFrame', () => {
  it('returns the fields Grafana reads for annotations, with their types', () => {
    const frame = toAnnotationFrame([region], tagsOf);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', FieldType.time],
      ['timeEnd', FieldType.time],
      ['title', FieldType.string],
      ['text', FieldType.string],
      ['tags', FieldType.other],
      ['id', FieldType.string],
    ]);
    expect(frame.length).toBe(1);
  });

  it('gives a point an end equal to its start, so a point in the first row does not break the regions after it', () => {
    const later = { ...region, id: 'rl-3', time: region.time + 60_000, timeEnd: region.timeEnd + 120_000 };
    const frame = toAnnotationFrame([point, region, later], tagsOf);
    const times = column(frame, 'time') as number[];
    const ends = column(frame, 'timeEnd') as number[];
    expect(ends.every((end) => typeof end === 'number')).toBe(true);
    // Grafana marks a row as a region when its end is set and differs from its start.
    const isRegion = times.map((time, i) => Boolean(ends[i]) && ends[i] !== time);
    expect(isRegion).toEqual([false, true, true]);
    expect(ends).toEqual([point.time, region.timeEnd, later.timeEnd]);
  });

  it('passes tags as string arrays and keeps the entry ids', () => {
    const frame = toAnnotationFrame([point, region], tagsOf);
    expect(column(frame, 'tags')).toEqual([point.tags, region.tags]);
    expect(column(frame, 'id')).toEqual(['rl-1', 'rl-2']);
  });

  it('puts notices on the frame meta', () => {
    const frame = toAnnotationFrame([], tagsOf, { notices: ['Showing the newest 500 of 900 annotations'] });
    expect(frame.meta?.notices).toEqual([{ severity: 'warning', text: 'Showing the newest 500 of 900 annotations' }]);
    expect(frame.length).toBe(0);
  });
});

describe('AnnotationCells', () => {
  const linkBaseUrl = 'https://rollouts.example.com';

  it('gives an entry shown again the cells of its first frame, and each frame its own tag lists', () => {
    const cells = new AnnotationCells({ linkBaseUrl });
    let tagCalls = 0;
    const countingTagsOf = (e: TimelineEntry) => {
      tagCalls++;
      return tagsOf(e);
    };
    const first = toAnnotationFrame([point, region], countingTagsOf, { linkBaseUrl, cells });
    const second = toAnnotationFrame([region], countingTagsOf, { linkBaseUrl, cells });
    expect(tagCalls).toBe(2);
    expect(column(second, 'text')).toEqual([annotationText(region, { linkBaseUrl })]);
    expect(column(second, 'title')).toEqual([annotationTitle(region)]);
    expect(column(second, 'tags')).toEqual([region.tags]);
    expect(column(second, 'tags')[0]).not.toBe(column(first, 'tags')[1]);
  });

  it('makes the cells of a new entry object, though it equals one shown before', () => {
    const cells = new AnnotationCells({ linkBaseUrl });
    toAnnotationFrame([region], tagsOf, { linkBaseUrl, cells });
    const ended = { ...region, timeEnd: region.timeEnd + 60_000 };
    const frame = toAnnotationFrame([ended], tagsOf, { linkBaseUrl, cells });
    expect(column(frame, 'text')).toEqual([annotationText(ended, { linkBaseUrl })]);
    expect(column(frame, 'text')).not.toEqual([annotationText(region, { linkBaseUrl })]);
  });

  it('is not used for a frame of another text format or link base', () => {
    const cells = new AnnotationCells({ linkBaseUrl });
    toAnnotationFrame([point], tagsOf, { linkBaseUrl, cells });
    const plain = toAnnotationFrame([point], tagsOf, { linkBaseUrl, textFormat: 'plain', cells });
    expect(column(plain, 'text')).toEqual([annotationText(point, { linkBaseUrl, textFormat: 'plain' })]);
    const unlinked = toAnnotationFrame([point], tagsOf, { cells });
    expect(column(unlinked, 'text')).toEqual([annotationText(point)]);
    expect(String(column(unlinked, 'text')[0])).not.toContain('rollouts.example.com');
  });
});

describe('annotationTitle', () => {
  it('names the rollout, revision and outcome of a revision region', () => {
    expect(annotationTitle(region)).toBe('checkout rev 2: rollout aborted');
  });

  it('names the step and weight of a step point', () => {
    const step = { ...base, reason: 'RolloutStepCompleted', revision: 3, step: { index: 2, total: 4, weight: 40 } };
    expect(annotationTitle(step)).toBe('checkout rev 3: step 2/4 (weight 40%)');
  });

  it('names the analysis phase and failing metric', () => {
    const analysis = {
      ...base,
      category: 'analysis' as const,
      analysis: { name: 'checkout-bbb-2-1', phase: 'Failed', failingMetric: 'error-rate' },
    };
    expect(annotationTitle(analysis)).toBe('checkout: analysis Failed (error-rate)');
  });

  it('names the reason and outcome of an event point', () => {
    expect(annotationTitle(point)).toBe('checkout rev 2: RolloutAborted (aborted)');
  });

  it('names the step, plugin and outcome of a plugin step, and the step and outcome of an Experiment', () => {
    const plugin = {
      ...region,
      span: 'stepPlugin' as const,
      category: 'steps' as const,
      reason: 'StepPluginTransition',
      outcome: 'superseded' as const,
      step: { index: 3, total: 3, description: 'plugin: step/e2e-test' },
    };
    expect(annotationTitle(plugin)).toBe('checkout rev 2: step 3/3 (plugin: step/e2e-test) superseded');
    const abortOfPlugin = { ...plugin, span: undefined, kind: 'point' as const, outcome: 'aborted' as const };
    expect(annotationTitle(abortOfPlugin)).toBe('checkout rev 2: step 3/3 (plugin: step/e2e-test) aborted');
    const experiment = {
      ...region,
      span: 'experiment' as const,
      category: 'steps' as const,
      reason: 'ExperimentSuccessful',
      outcome: 'succeeded' as const,
      step: { index: 2, total: 2, description: 'experiment' },
    };
    expect(annotationTitle(experiment)).toBe('checkout rev 2: step 2/2 (experiment) succeeded');
  });
});

describe('annotationText', () => {
  it('says what happened, to what, with which images, the outcome and how the time was known', () => {
    expect(annotationText(region, { textFormat: 'plain' }).split('\n')).toEqual([
      'Revision 2 aborted: analysis failed',
      'Rollout shop/checkout, revision 2, canary',
      'Images: shop/checkout:1.1, shop/sidecar:3',
      'Outcome: aborted',
      'From 2026-11-20 10:00:00Z to 2026-11-20 10:01:07Z',
      'Timing (reconstructed): start reconstructed from the creation of ReplicaSet checkout-bbb; ended at status.abortedAt',
    ]);
  });

  it('says a span drawn as a point started and ended within the same second, or that its end is not recorded', () => {
    const sameSecond = { ...region, kind: 'point' as const, timeEnd: region.time };
    expect(annotationText(sameSecond, { textFormat: 'plain' }).split('\n')).toContain(
      'Started and ended at 2026-11-20 10:00:00Z (within the same second)'
    );
    expect(annotationTitle(sameSecond)).toBe('checkout rev 2: rollout aborted');
    const unknownEnd = { ...sameSecond, endUnknown: true };
    const lines = annotationText(unknownEnd, { textFormat: 'plain' }).split('\n');
    expect(lines).toContain('Started 2026-11-20 10:00:00Z; its end is not recorded');
    expect(lines.some((line) => line.startsWith('From '))).toBe(false);
  });

  it('lists where a fact was seen when more than one object or Event reports it', () => {
    const seenTwice = {
      ...point,
      sources: [
        { kind: 'Event', namespace: 'shop', name: 'checkout.1a' },
        { kind: 'Rollout', namespace: 'shop', name: 'checkout' },
      ],
    };
    expect(annotationText(seenTwice, { textFormat: 'plain' }).split('\n').pop()).toBe(
      'Seen in: Rollout checkout and an Event'
    );
    const run = {
      ...seenTwice,
      sources: [
        { kind: 'AnalysisRun', namespace: 'shop', name: 'checkout-bbb-2-1' },
        { kind: 'Event', namespace: 'shop', name: 'checkout.1a' },
        { kind: 'Event', namespace: 'shop', name: 'checkout-bbb-2-1.1b' },
        { kind: 'Event', namespace: 'shop', name: 'checkout-bbb-2-1.1c' },
      ],
    };
    expect(annotationText(run, { textFormat: 'plain' }).split('\n').pop()).toBe(
      'Seen in: AnalysisRun checkout-bbb-2-1 and 3 Events'
    );
    expect(annotationText(point, { textFormat: 'plain' })).not.toContain('Seen in');
  });

  it('includes the step, the failing metric and its message, and the count of a repeated event', () => {
    const entry: TimelineEntry = {
      ...base,
      reason: 'AnalysisRunFailed',
      message: "Step Analysis Run 'checkout-bbb-2-1' Status New: 'Failed' Previous: 'Running'",
      count: 3,
      firstTime: Date.parse('2026-11-20T09:00:00Z'),
      lastTime: Date.parse('2026-11-20T10:01:07Z'),
      step: { index: 2, total: 4, weight: 40, description: 'analysis' },
      analysis: {
        name: 'checkout-bbb-2-1',
        type: 'Step',
        phase: 'Failed',
        failingMetric: 'error-rate',
        message: 'rate 0.2 > 0.05',
      },
      relatedMessages: ['Analysis Completed. Result: Failed'],
      aggregated: true,
    };
    const lines = annotationText(entry, { textFormat: 'plain' }).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Also: Analysis Completed. Result: Failed',
        'Step 2/4, weight 40% (analysis)',
        'Analysis (Step) checkout-bbb-2-1: Failed',
        'Failing metric: error-rate: rate 0.2 > 0.05',
        'Seen 3 times (first 2026-11-20 09:00:00Z, last 2026-11-20 10:01:07Z)',
        'Similar messages were combined by the event recorder; the latest is shown',
      ])
    );
  });

  it('escapes HTML from the controller message and adds a link per rollout when a base URL is set', () => {
    const entry = { ...point, message: 'Failed to verify weight: <script>alert(1)</script>' };
    const html = annotationText(entry, { linkBaseUrl: 'https://rollouts.example.com/rollouts/' });
    expect(html).toContain('Failed to verify weight: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      '<a href="https://rollouts.example.com/rollouts/rollout/shop/checkout" target="_blank" rel="noopener noreferrer">Open checkout</a>'
    );
    expect(html.split('<br>')[0]).toBe('Failed to verify weight: &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('rolloutLink', () => {
  it('replaces {namespace} and {rollout} placeholders, encoded', () => {
    expect(rolloutLink('https://argo.example.com/#/{namespace}/{rollout}?x=1', 'a b', 'web')).toBe(
      'https://argo.example.com/#/a%20b/web?x=1'
    );
  });

  it('returns no link without a base URL or for a scheme other than http(s)', () => {
    expect(rolloutLink(undefined, 'shop', 'web')).toBeUndefined();
    expect(rolloutLink('  ', 'shop', 'web')).toBeUndefined();
    expect(rolloutLink('javascript:alert(1)', 'shop', 'web')).toBeUndefined();
  });
});
