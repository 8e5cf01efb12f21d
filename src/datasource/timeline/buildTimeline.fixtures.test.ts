/**
 * @jest-environment node
 */
import path from 'path';
import { buildTimeline } from './buildTimeline';
import { loadFolder, recordedScenario, recordedScenarios, sharedScenario } from './testing/sharedFixtures';
import type { TimelineEntry, TimelineInput, TimelineResult } from './types';

const WHOLE_TIME = { from: Date.parse('2019-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
const NOW = Date.parse('2026-11-20T12:00:00Z');
const ABORT_RETRY_PROMOTE = path.resolve(__dirname, '../../../tests/fixtures/timeline/abort-retry-promote');

function build(lists: Omit<TimelineInput, 'range' | 'now' | 'cluster'>) {
  return buildTimeline({ ...lists, range: WHOLE_TIME, now: NOW, cluster: 'test' });
}

function revisionRegions(entries: TimelineEntry[], rollout: string) {
  return entries
    .filter((e) => e.span === 'revision' && e.rollout === rollout)
    .map((e) => ({
      revision: e.revision,
      outcome: e.outcome,
      precision: e.precision,
      time: new Date(e.time).toISOString(),
      timeEnd: new Date(e.timeEnd).toISOString(),
      images: e.images,
    }));
}

describe('buildTimeline on the kubectl plugin fixtures (objects only, no Events)', () => {
  it('returns an aborted revision 2 ending at status.abortedAt and the failed background analysis', () => {
    const { entries, notices } = build(sharedScenario('rollout-aborted'));
    expect(notices).toEqual([]);
    expect(revisionRegions(entries, 'rollout-background-analysis')).toEqual([
      {
        revision: 1,
        outcome: 'succeeded',
        precision: 'reconstructed',
        time: '2020-09-22T09:09:46.000Z',
        timeEnd: '2020-09-22T09:10:04.000Z',
        images: ['argoproj/rollouts-demo:blue'],
      },
      {
        revision: 2,
        outcome: 'aborted',
        precision: 'reconstructed',
        time: '2020-09-22T09:10:04.000Z',
        timeEnd: '2020-09-22T09:10:05.000Z',
        images: ['argoproj/rollouts-demo:yellow'],
      },
    ]);
    const analysis = entries.find((e) => e.span === 'analysisRun');
    expect(analysis).toMatchObject({
      revision: 2,
      outcome: 'failed',
      analysis: {
        name: 'rollout-background-analysis-db976bc44-2',
        phase: 'Failed',
        type: 'Background',
        failingMetric: 'web',
      },
    });
    const abort = entries.find((e) => e.kind === 'point' && e.outcome === 'aborted');
    expect(abort).toMatchObject({ precision: 'exact', time: Date.parse('2020-09-22T09:10:05Z'), revision: 2 });
  });

  it('returns a rollback when the stable ReplicaSet was reused for a later revision', () => {
    const { entries, notices } = build(sharedScenario('canary'));
    const regions = revisionRegions(entries, 'canary-demo');
    expect(regions.map((r) => [r.revision, r.outcome])).toEqual([
      [26, 'superseded'],
      [29, 'rolledBack'],
      [31, 'degraded'],
    ]);
    expect(notices).toContain(
      '2 revisions have no known start time (its ReplicaSet was reused by a rollback and its Events expired); left out.'
    );
    const rev29 = entries.find((e) => e.rollout === 'canary-demo' && e.revision === 29 && e.kind === 'region');
    expect(rev29?.derivation).toContain('ended before revision 30 started (time unknown)');
  });

  it('keeps a paused blue-green update open until now with the pause as its own region', () => {
    const { entries } = build(sharedScenario('blue-green'));
    const current = entries.find(
      (e) => e.rollout === 'bluegreen-demo' && e.revision === 11 && e.category === 'lifecycle'
    );
    expect(current).toMatchObject({ outcome: 'inProgress', timeEnd: NOW, strategy: 'blueGreen' });
    expect(current?.derivation).toContain('in progress');
    const pause = entries.find((e) => e.kind === 'region' && e.reason === 'RolloutPaused');
    expect(pause).toMatchObject({
      time: Date.parse('2019-10-28T04:50:20Z'),
      timeEnd: NOW,
      precision: 'exact',
      revision: 11,
      outcome: 'inProgress',
    });
  });

  it('links an Experiment and its AnalysisRun to the Rollout revision by name', () => {
    const { entries } = build(sharedScenario('experiment-step'));
    const experiment = entries.find((e) => e.sources[0]?.kind === 'Experiment');
    const run = entries.find((e) => e.sources[0]?.kind === 'AnalysisRun');
    expect(experiment).toMatchObject({ rollout: 'canary-demo', revision: 2, category: 'steps', outcome: 'inProgress' });
    expect(run).toMatchObject({ rollout: 'canary-demo', revision: 2, category: 'analysis' });
  });
});

describe('buildTimeline on the abort, retry and promote sequence', () => {
  const lists = loadFolder(ABORT_RETRY_PROMOTE);

  it('returns exact revision regions from the RolloutUpdated to the RolloutCompleted Events', () => {
    const { entries, notices } = build(lists);
    expect(notices).toEqual([]);
    expect(revisionRegions(entries, 'abort-retry-promote')).toEqual([
      {
        revision: 1,
        outcome: 'succeeded',
        precision: 'exact',
        time: '2026-11-20T10:00:00.000Z',
        timeEnd: '2026-11-20T10:00:05.000Z',
        images: ['nginx:1.19-alpine'],
      },
      {
        revision: 2,
        outcome: 'succeeded',
        precision: 'exact',
        time: '2026-11-20T10:01:00.000Z',
        timeEnd: '2026-11-20T10:01:25.000Z',
        images: ['nginx:1.20-alpine'],
      },
    ]);
  });

  it('returns both pauses of the deduplicated RolloutPaused Event, ended by the abort and by the next step', () => {
    const { entries } = build(lists);
    const pauses = entries
      .filter((e) => e.kind === 'region' && e.reason === 'RolloutPaused')
      .map((e) => [new Date(e.time).toISOString(), new Date(e.timeEnd).toISOString()]);
    expect(pauses).toEqual([
      ['2026-11-20T10:01:02.000Z', '2026-11-20T10:01:04.000Z'],
      ['2026-11-20T10:01:21.000Z', '2026-11-20T10:01:24.000Z'],
    ]);
  });

  it('keeps the count and first and last time of a deduplicated step Event', () => {
    const { entries } = build(lists);
    const step = entries.find((e) => e.reason === 'RolloutStepCompleted' && e.step?.index === 1);
    expect(step).toMatchObject({
      count: 2,
      firstTime: Date.parse('2026-11-20T10:01:02Z'),
      lastTime: Date.parse('2026-11-20T10:01:21Z'),
      time: Date.parse('2026-11-20T10:01:21Z'),
      revision: 2,
      step: { index: 1, total: 2, weight: 50 },
    });
    const pauseStep = entries.find((e) => e.reason === 'RolloutStepCompleted' && e.step?.index === 2);
    expect(pauseStep?.step).toEqual({ index: 2, total: 2, weight: 50, description: 'pause: 3s' });
  });

  it('still returns every kept revision with outcome and images, marked reconstructed, after the Events expired', () => {
    const { entries } = build({ ...lists, events: [] });
    expect(revisionRegions(entries, 'abort-retry-promote')).toEqual([
      {
        revision: 1,
        outcome: 'superseded',
        precision: 'reconstructed',
        time: '2026-11-20T10:00:00.000Z',
        timeEnd: '2026-11-20T10:01:00.000Z',
        images: ['nginx:1.19-alpine'],
      },
      {
        revision: 2,
        outcome: 'succeeded',
        precision: 'reconstructed',
        time: '2026-11-20T10:01:00.000Z',
        timeEnd: '2026-11-20T10:01:25.000Z',
        images: ['nginx:1.20-alpine'],
      },
    ]);
    const rev1 = entries.find((e) => e.revision === 1);
    expect(rev1?.derivation).toBe(
      'start reconstructed from the creation of ReplicaSet abort-retry-promote-698fbfb9dc; end not recorded; ends where revision 2 is first seen'
    );
  });
});

const recorded = recordedScenarios();

it('finds the scenarios recorded from the real controller', () => {
  expect(recorded).toEqual(expect.arrayContaining(Object.keys(RECORDED_OUTCOMES)));
});

describe.each(recorded)('buildTimeline on the recorded scenario %s', (scenario) => {
  const lists = () => recordedScenario(scenario);

  it('returns at least one revision span per recorded Rollout, each ending at or after its start', () => {
    const data = lists();
    const { entries } = buildTimeline({ ...data, range: WHOLE_TIME, now: Date.now(), cluster: 'recorded' });
    const names = data.rollouts.map((r) => r.metadata?.name);
    for (const name of names) {
      expect(entries.some((e) => e.rollout === name && e.span === 'revision')).toBe(true);
    }
    for (const entry of entries) {
      expect(entry.timeEnd).toBeGreaterThanOrEqual(entry.time);
    }
  });

  it('returns a reconstructed revision span with an outcome for every kept ReplicaSet revision without Events', () => {
    const data = lists();
    const { entries } = buildTimeline({ ...data, events: [], range: WHOLE_TIME, now: Date.now(), cluster: 'recorded' });
    const kept = data.replicaSets.filter(
      (rs) =>
        rs.metadata?.ownerReferences?.some((o) => o.kind === 'Rollout') &&
        !rs.metadata?.annotations?.['rollout.argoproj.io/revision-history']
    );
    for (const rs of kept) {
      const owner = rs.metadata!.ownerReferences!.find((o) => o.kind === 'Rollout')!.name;
      const revision = Number(rs.metadata!.annotations!['rollout.argoproj.io/revision']);
      const region = entries.find((e) => e.rollout === owner && e.revision === revision && e.span === 'revision');
      expect(region?.outcome).toBeDefined();
      expect(region?.images?.length).toBeGreaterThan(0);
      expect(region?.sources.some((s) => s.kind === 'Event')).toBe(false);
    }
  });
});

describe.each(recorded)('buildTimeline returns one entry per fact on the recorded scenario %s', (scenario) => {
  const build = () =>
    buildTimeline({ ...recordedScenario(scenario), range: WHOLE_TIME, now: NOW, cluster: 'recorded' });

  it('returns each kept AnalysisRun as one entry, whatever number of Events report it', () => {
    const data = recordedScenario(scenario);
    const { entries } = build();
    for (const run of data.analysisRuns) {
      const about = entries.filter((e) => e.analysis?.name === run.metadata?.name);
      expect(about).toHaveLength(1);
      expect(about[0].span).toBe('analysisRun');
    }
  });

  it('returns at most one abort and one completion point per revision', () => {
    const { entries } = build();
    for (const reason of ['RolloutAborted', 'RolloutCompleted']) {
      const revisions = entries
        .filter((e) => e.span === undefined && e.reason === reason)
        .map((e) => `${e.rollout} revision ${e.revision}`);
      expect(revisions).toEqual([...new Set(revisions)]);
    }
  });

  it('draws a span that started and ended within the same second as a point whose end is known', () => {
    const { entries } = build();
    for (const entry of entries.filter((e) => e.span !== undefined)) {
      expect(entry.kind).toBe(entry.timeEnd > entry.time ? 'region' : 'point');
      if (entry.span === 'revision' && entry.kind === 'point') {
        expect(entry.endUnknown).toBeUndefined();
        expect(entry.derivation).toMatch(/ended at the Rollout(Completed|Aborted) event/);
      }
    }
  });
});

describe('buildTimeline on the recorded analysis failure', () => {
  const { entries } = buildTimeline({
    ...recordedScenario('analysis-failure'),
    range: WHOLE_TIME,
    now: NOW,
    cluster: 'recorded',
  });

  it('returns the initial deploy, started and completed within one second, as a point with a known end', () => {
    const rev1 = entries.find((e) => e.span === 'revision' && e.revision === 1);
    expect(rev1).toMatchObject({ kind: 'point', outcome: 'succeeded', precision: 'exact' });
    expect(rev1?.timeEnd).toBe(rev1?.time);
    expect(rev1?.endUnknown).toBeUndefined();
  });

  it('returns the failed analysis once: the AnalysisRun, with the Rollout, run and metric Events as its sources', () => {
    const analysis = entries.filter((e) => e.category === 'analysis');
    expect(analysis).toHaveLength(1);
    expect(analysis[0]).toMatchObject({
      span: 'analysisRun',
      outcome: 'failed',
      precision: 'exact',
      revision: 2,
      analysis: { phase: 'Failed', type: 'Step', failingMetric: 'web-ok' },
    });
    expect(analysis[0].sources.map((s) => s.kind)).toEqual(['AnalysisRun', 'Event', 'Event', 'Event']);
  });
});

describe('buildTimeline on the recorded canary promotion with the status.duration of newer controllers', () => {
  // The recorded Rollout (v1.10.1) with the block the main branch writes in the same reconciles: the attempt
  // started when revision 2's ReplicaSet was created and finished when it was promoted and fully available.
  const lists = () => {
    const data = recordedScenario('canary-promote');
    const rollouts = data.rollouts.map((r) => ({
      ...r,
      status: {
        ...r.status,
        duration: {
          rolloutStartedAt: '2026-11-26T03:57:59Z',
          finishedAt: '2026-11-26T03:58:07Z',
          completionStatus: 'Promoted' as const,
          totalManualPauseDurationSeconds: 2,
        },
      },
    }));
    return { ...data, rollouts };
  };
  const build = (events: 'kept' | 'expired') => {
    const data = lists();
    return buildTimeline({
      ...data,
      events: events === 'kept' ? data.events : [],
      range: WHOLE_TIME,
      now: NOW,
      cluster: 'recorded',
    });
  };

  it('returns revision 2 with exact times from status.duration once the Events expired', () => {
    const rev2 = build('expired').entries.find((e) => e.span === 'revision' && e.revision === 2);
    expect(rev2).toMatchObject({
      kind: 'region',
      time: Date.parse('2026-11-26T03:57:59Z'),
      timeEnd: Date.parse('2026-11-26T03:58:07Z'),
      outcome: 'succeeded',
      precision: 'exact',
    });
  });

  it('returns the same revision spans with the Events as without them, and one completion point', () => {
    const spans = (entries: TimelineEntry[]) =>
      entries.filter((e) => e.span === 'revision' && e.revision === 2).map((e) => [e.time, e.timeEnd, e.outcome]);
    const kept = build('kept').entries;
    expect(spans(kept)).toEqual(spans(build('expired').entries));
    const completions = kept.filter((e) => e.span === undefined && e.reason === 'RolloutCompleted' && e.revision === 2);
    expect(completions).toHaveLength(1);
    expect(completions[0].sources.map((s) => s.kind)).toEqual(['Event', 'Rollout']);
  });
});

describe('buildTimeline on the recorded step plugin scenario', () => {
  const build = (events: 'kept' | 'expired') => {
    const data = recordedScenario('step-plugin');
    return buildTimeline({
      ...data,
      events: events === 'kept' ? data.events : [],
      range: WHOLE_TIME,
      now: NOW,
      cluster: 'recorded',
    });
  };
  const PLUGIN = 'step/e2e-test';
  const pluginStep = (index: number) => ({ index, total: 3, description: `plugin: ${PLUGIN}` });
  /** The plugin step entries of one Rollout, in step order, with the records that report each. */
  const pluginSteps = (entries: TimelineEntry[], rollout: string) =>
    entries
      .filter((e) => e.rollout === rollout && e.reason === 'StepPluginTransition')
      // By step, then time; in one second, the run before the operation on it.
      .sort(
        (a, b) => (a.step?.index ?? 0) - (b.step?.index ?? 0) || a.time - b.time || (a.span ? 0 : 1) - (b.span ? 0 : 1)
      )
      .map((e) => ({
        span: e.span,
        revision: e.revision,
        step: e.step,
        outcome: e.outcome,
        message: e.message,
        precision: e.precision,
        sources: e.sources.map((s) => s.kind),
      }));

  it('returns each step of the promoted update once: the run that succeeded, the run terminated by the full promotion', () => {
    const { entries } = build('kept');
    expect(pluginSteps(entries, 'step-plugin')).toEqual([
      {
        span: 'stepPlugin',
        revision: 2,
        step: pluginStep(2),
        outcome: 'succeeded',
        message: `Step plugin ${PLUGIN} (step 2) succeeded`,
        precision: 'exact',
        // The status and the step's RolloutStepCompleted Event: a successful run records no transition.
        sources: ['Rollout', 'Event'],
      },
      {
        span: 'stepPlugin',
        revision: 2,
        step: pluginStep(3),
        outcome: 'superseded',
        message: `Step plugin ${PLUGIN} (step 3) terminated (Successful)`,
        precision: 'exact',
        sources: ['Rollout', 'Event', 'Event'],
      },
    ]);
    // The scenario let the third step run for more than two seconds before the promotion: a region.
    const terminated = entries.find((e) => e.rollout === 'step-plugin' && e.step?.index === 3 && e.span)!;
    expect(terminated.kind).toBe('region');
    expect(terminated.timeEnd - terminated.time).toBeGreaterThanOrEqual(2000);
    const completion = entries.find((e) => e.rollout === 'step-plugin' && e.reason === 'RolloutStepCompleted');
    expect(completion?.message).toBe('Rollout step 1/3 completed (setWeight: 50)');
  });

  it('returns the failed step and the abort of the step before it, each once, and the abort of the update naming the step', () => {
    const { entries } = build('kept');
    expect(pluginSteps(entries, 'step-plugin-failure')).toEqual([
      {
        span: 'stepPlugin',
        revision: 2,
        step: pluginStep(2),
        outcome: 'succeeded',
        message: `Step plugin ${PLUGIN} (step 2) succeeded`,
        precision: 'exact',
        sources: ['Rollout', 'Event'],
      },
      {
        span: undefined,
        revision: 2,
        step: pluginStep(2),
        outcome: 'aborted',
        message: `Step plugin ${PLUGIN} (step 2) aborted (Successful)`,
        precision: 'exact',
        sources: ['Event', 'Rollout'],
      },
      {
        span: 'stepPlugin',
        revision: 2,
        step: pluginStep(3),
        outcome: 'failed',
        message: `Step plugin ${PLUGIN} (step 3) failed`,
        precision: 'exact',
        sources: ['Rollout', 'Event'],
      },
    ]);
    const aborts = entries.filter((e) => e.rollout === 'step-plugin-failure' && e.reason === 'RolloutAborted');
    expect(aborts.map((e) => [e.revision, e.message])).toEqual([
      [2, `Rollout aborted update to revision 2: Step Plugin 3 (${PLUGIN}) failed: `],
    ]);
  });

  it('returns the same plugin steps from the Rollouts alone once the Events expired', () => {
    const kept = build('kept').entries;
    const expired = build('expired').entries;
    for (const rollout of ['step-plugin', 'step-plugin-failure']) {
      const withoutSources = (entries: TimelineEntry[]) =>
        pluginSteps(entries, rollout).map(({ sources, ...rest }) => rest);
      expect(withoutSources(expired)).toEqual(withoutSources(kept));
      expect(pluginSteps(expired, rollout).every((e) => e.sources.join() === 'Rollout')).toBe(true);
    }
  });
});

describe('buildTimeline on the recorded experiment step scenario', () => {
  const { entries, notices } = buildTimeline({
    ...recordedScenario('experiment-step'),
    range: WHOLE_TIME,
    now: WHOLE_TIME.to,
    cluster: 'recorded',
  });
  const experimentStep = { index: 2, total: 2, description: 'experiment' };
  const ofRollout = (rollout: string, category: string) =>
    entries.filter((e) => e.rollout === rollout && e.category === category && !e.chatter);

  it('returns no notice but the one about the Events of Pods and ReplicaSets', () => {
    expect(notices).toEqual([
      expect.stringMatching(/^Ignored \d+ Events about objects other than Rollouts, AnalysisRuns and Experiments\.$/),
    ]);
  });

  it("returns each Experiment once, in revision 2 and its step, with its step's completion when it succeeded", () => {
    const experiments = (rollout: string) =>
      ofRollout(rollout, 'steps')
        .filter((e) => e.span === 'experiment')
        .map((e) => [e.revision, e.step, e.outcome, e.reason, e.sources.map((s) => s.kind).join()]);
    expect(experiments('experiment-step')).toEqual([
      [2, experimentStep, 'succeeded', 'ExperimentSuccessful', 'Experiment,Event,Event,Event,Event,Event'],
    ]);
    expect(experiments('experiment-step-failure')).toEqual([
      [2, experimentStep, 'failed', 'ExperimentFailed', 'Experiment,Event,Event,Event,Event'],
    ]);
    // The completion of the experiment step is the Experiment's end: no marker of its own.
    const completions = ofRollout('experiment-step', 'steps').filter((e) => e.reason === 'RolloutStepCompleted');
    expect(completions.map((e) => e.message)).toEqual(['Rollout step 1/2 completed (setWeight: 50)']);
  });

  it("returns each Experiment's analysis once: its run, with the run's, the Experiment's and the Rollout's Events", () => {
    const analyses = (rollout: string) =>
      ofRollout(rollout, 'analysis')
        .map((e) => [
          e.analysis?.name,
          e.span,
          e.revision,
          e.step,
          e.outcome,
          e.analysis?.type,
          e.analysis?.failingMetric,
          // The run's own Events (result, metric), and those of the Experiment and the Rollout about its analysis.
          e.sources.filter((s) => s.kind === 'Event').length,
        ])
        .sort();
    expect(analyses('experiment-step')).toEqual([
      ['experiment-step-7f65ccf68d-2-1-web', 'analysisRun', 2, experimentStep, 'succeeded', 'Experiment', undefined, 8],
    ]);
    // The experiment controller created this run twice (from a stale cache): both ran and failed; the Experiment's
    // status names the second, which the Events about the analysis `web` report.
    expect(analyses('experiment-step-failure')).toEqual([
      [
        'experiment-step-failure-7dd7984f8f-2-1-web',
        'analysisRun',
        2,
        experimentStep,
        'failed',
        'Experiment',
        'web-ok',
        2,
      ],
      [
        'experiment-step-failure-7dd7984f8f-2-1-web.1',
        'analysisRun',
        2,
        experimentStep,
        'failed',
        'Experiment',
        'web-ok',
        6,
      ],
    ]);
  });
});

/** Revision outcomes per recorded scenario: with the Events, and after they expired (objects only). */
const RECORDED_OUTCOMES: Record<string, { withEvents: string[]; withoutEvents: string[] }> = {
  'analysis-failure': { withEvents: ['1 succeeded', '2 aborted'], withoutEvents: ['1 succeeded', '2 aborted'] },
  'analysis-success': { withEvents: ['1 succeeded', '2 succeeded'], withoutEvents: ['1 superseded', '2 succeeded'] },
  'bluegreen-promote': { withEvents: ['1 succeeded', '2 succeeded'], withoutEvents: ['1 superseded', '2 succeeded'] },
  'canary-abort': { withEvents: ['1 succeeded', '2 aborted'], withoutEvents: ['1 succeeded', '2 aborted'] },
  'canary-promote': { withEvents: ['1 succeeded', '2 succeeded'], withoutEvents: ['1 superseded', '2 succeeded'] },
  restart: { withEvents: ['1 succeeded'], withoutEvents: ['1 succeeded'] },
  rollback: {
    withEvents: ['1 succeeded', '2 rolledBack', '3 succeeded'],
    withoutEvents: ['1 superseded', '2 rolledBack', '3 succeeded'],
  },
  // Two Rollouts each: the first succeeds, the second (`…-failure`) is aborted.
  'step-plugin': {
    withEvents: ['1 succeeded', '2 succeeded', '1 succeeded', '2 aborted'],
    withoutEvents: ['1 superseded', '2 succeeded', '1 succeeded', '2 aborted'],
  },
  'experiment-step': {
    withEvents: ['1 succeeded', '2 succeeded', '1 succeeded', '2 aborted'],
    withoutEvents: ['1 superseded', '2 succeeded', '1 succeeded', '2 aborted'],
  },
};

describe.each(Object.keys(RECORDED_OUTCOMES))('buildTimeline outcomes on the recorded scenario %s', (scenario) => {
  const outcomes = (entries: TimelineEntry[]) =>
    entries
      .filter((e) => e.span === 'revision')
      .sort((a, b) => a.rollout.localeCompare(b.rollout) || (a.revision ?? 0) - (b.revision ?? 0))
      .map((e) => `${e.revision} ${e.outcome}`);
  const build = (events: 'core' | 'events.k8s.io' | 'none') => {
    const lists = recordedScenario(scenario, events === 'none' ? 'core' : events);
    return buildTimeline({
      ...lists,
      events: events === 'none' ? [] : lists.events,
      range: WHOLE_TIME,
      now: NOW,
      cluster: 'recorded',
    });
  };

  it('returns the expected revision outcomes from the Events', () => {
    expect(outcomes(build('core').entries)).toEqual(RECORDED_OUTCOMES[scenario].withEvents);
  });

  it('returns the expected revision outcomes, all reconstructed from objects, after the Events expired', () => {
    const { entries } = build('none');
    expect(outcomes(entries)).toEqual(RECORDED_OUTCOMES[scenario].withoutEvents);
    const revisionRegions = entries.filter((e) => e.span === 'revision');
    expect(revisionRegions.every((e) => e.precision === 'reconstructed' && e.images?.length)).toBe(true);
  });

  it('returns the same timeline from the events.k8s.io/v1 API as from core/v1 Events', () => {
    const withTags = ({ entries, notices, tagsOf }: TimelineResult) => ({
      entries: entries.map((entry) => ({ ...entry, tags: tagsOf(entry) })),
      notices,
    });
    expect(withTags(build('events.k8s.io'))).toEqual(withTags(build('core')));
  });
});
