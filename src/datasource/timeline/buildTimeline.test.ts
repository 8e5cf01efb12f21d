import type { Event } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { AnalysisRun, Experiment, Rollout } from '../model/argo';
import { buildTimeline } from './buildTimeline';
import { analysisRun, at, event, input, ms, NS, replicaSet, rollout } from './testing/builders';
import type { TagMapping } from '../tags/tagMapping';
import type { TimelineEntry } from './types';

const AR = 'checkout-bbb-2-1';
const ABORT_MESSAGE =
  'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)';

/** A canary step analysis that fails and aborts the update (reference §2.3), with every object still kept. */
function failedAnalysisScenario() {
  const events: Event[] = [
    event('checkout', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
    event('checkout', 'NewReplicaSetCreated', 'Created ReplicaSet checkout-bbb (revision 2)', '10:00:00'),
    event('checkout', 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)', '10:00:05'),
    event(
      'checkout',
      'AnalysisRunRunning',
      `Step Analysis Run '${AR}' Status New: 'Running' Previous: 'NoPreviousStatus'`,
      '10:00:06'
    ),
    event('checkout', 'MetricFailed', "Metric 'error-rate' Completed. Result: Failed", '10:01:06', {
      kind: 'AnalysisRun',
      object: AR,
      type: 'Warning',
    }),
    event('checkout', 'AnalysisRunFailed', 'Analysis Completed. Result: Failed', '10:01:06', {
      kind: 'AnalysisRun',
      object: AR,
      type: 'Warning',
    }),
    event(
      'checkout',
      'AnalysisRunFailed',
      `Step Analysis Run '${AR}' Status New: 'Failed' Previous: 'Running'`,
      '10:01:07',
      {
        type: 'Warning',
      }
    ),
    event('checkout', 'RolloutAborted', ABORT_MESSAGE, '10:01:07', { type: 'Warning' }),
    event('checkout', 'ScalingReplicaSet', 'Scaled down ReplicaSet checkout-bbb (revision 2) from 1 to 0', '10:01:08'),
  ];
  const rollouts: Rollout[] = [
    rollout('checkout', {
      revision: 2,
      currentPodHash: 'bbb',
      stableRS: 'aaa',
      phase: 'Degraded',
      abort: true,
      abortedAt: '10:01:07',
      steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }],
      labels: { 'app.kubernetes.io/part-of': 'shop' },
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'RolloutAborted',
          message: ABORT_MESSAGE,
          lastTransitionTime: '2026-11-20T10:01:07Z',
        },
      ],
    }),
  ];
  const replicaSets: ReplicaSet[] = [
    replicaSet('checkout', 'aaa', 1, '09:00:00', 'shop/checkout:1.0'),
    replicaSet('checkout', 'bbb', 2, '10:00:00', 'shop/checkout:1.1'),
  ];
  const analysisRuns: AnalysisRun[] = [
    analysisRun('checkout', AR, {
      revision: 2,
      hash: 'bbb',
      phase: 'Failed',
      startedAt: '10:00:06',
      completedAt: '10:01:06',
      message: 'Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)',
      metrics: [{ name: 'error-rate', phase: 'Failed' }],
    }),
  ];
  return { events, rollouts, replicaSets, analysisRuns };
}

const byKind = (entries: TimelineEntry[], kind: 'point' | 'region') => entries.filter((e) => e.kind === kind);

describe('buildTimeline with a failed step analysis', () => {
  const { entries, notices } = buildTimeline(input(failedAnalysisScenario()));

  it('returns no notices for well-formed input', () => {
    expect(notices).toEqual([]);
  });

  it('returns the aborted revision from its RolloutUpdated Event to its RolloutAborted Event', () => {
    const rev2 = entries.find((e) => e.span === 'revision' && e.revision === 2);
    expect(rev2).toMatchObject({
      time: ms('10:00:00'),
      timeEnd: ms('10:01:07'),
      outcome: 'aborted',
      precision: 'exact',
      images: ['shop/checkout:1.1'],
      strategy: 'canary',
    });
  });

  it('returns the stable revision before it as succeeded, ending where the update started', () => {
    const rev1 = entries.find((e) => e.span === 'revision' && e.revision === 1);
    expect(rev1).toMatchObject({
      time: ms('09:00:00'),
      timeEnd: ms('10:00:00'),
      outcome: 'succeeded',
      precision: 'reconstructed',
    });
  });

  it('returns one point for the abort, the Event, with the status reconstruction merged into it', () => {
    const aborts = byKind(entries, 'point').filter((e) => e.outcome === 'aborted');
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toMatchObject({
      precision: 'exact',
      reason: 'RolloutAborted',
      message: ABORT_MESSAGE,
      revision: 2,
    });
    expect(aborts[0].sources.map((s) => s.kind).sort()).toEqual(['Event', 'Rollout']);
  });

  it('returns one entry for the analysis run: its region, which the Events of its start and result are part of', () => {
    const analysis = entries.filter((e) => e.category === 'analysis');
    expect(analysis).toHaveLength(1);
    expect(analysis[0]).toMatchObject({
      kind: 'region',
      span: 'analysisRun',
      time: ms('10:00:06'),
      timeEnd: ms('10:01:06'),
      outcome: 'failed',
      precision: 'exact',
      revision: 2,
      message: `Step analysis ${AR} Failed: Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)`,
      analysis: {
        name: AR,
        phase: 'Failed',
        type: 'Step',
        failingMetric: 'error-rate',
        message: 'Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)',
      },
    });
    // The AnalysisRun, and the Events: AnalysisRunRunning and AnalysisRunFailed on the Rollout, AnalysisRunFailed
    // and MetricFailed on the run.
    expect(analysis[0].sources.map((s) => s.kind)).toEqual(['AnalysisRun', 'Event', 'Event', 'Event', 'Event']);
    expect(analysis[0].relatedMessages).toBeUndefined();
  });

  it('returns one point for the analysis failure reported by the Rollout, the AnalysisRun and its metric once the run is gone', () => {
    const { entries: withoutRun } = buildTimeline(input({ ...failedAnalysisScenario(), analysisRuns: [] }));
    const failures = withoutRun.filter((e) => e.category === 'analysis' && e.outcome === 'failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      kind: 'point',
      time: ms('10:01:07'),
      revision: 2,
      analysis: { name: AR, phase: 'Failed', type: 'Step', failingMetric: 'error-rate' },
    });
    expect(failures[0].sources).toHaveLength(3);
    expect([...failures[0].relatedMessages!].sort()).toEqual([
      'Analysis Completed. Result: Failed',
      "Metric 'error-rate' Completed. Result: Failed",
    ]);
    const started = withoutRun.filter((e) => e.category === 'analysis' && e.outcome === 'inProgress');
    expect(started).toMatchObject([{ kind: 'point', time: ms('10:00:06'), reason: 'AnalysisRunRunning' }]);
  });

  it('returns the step with its number, total and weight', () => {
    const step = entries.find((e) => e.reason === 'RolloutStepCompleted');
    expect(step).toMatchObject({ category: 'steps', revision: 2, step: { index: 1, total: 3, weight: 20 } });
  });

  it('returns entries ordered by time', () => {
    const times = entries.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('buildTimeline with an experiment step', () => {
  const EXP = 'checkout-bbb-2-1';
  const experiment: Experiment = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name: EXP,
      namespace: NS,
      uid: `uid-${EXP}`,
      creationTimestamp: at('10:00:10'),
      annotations: { 'rollout.argoproj.io/revision': '2' },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'uid-checkout' }],
    },
    status: {
      phase: 'Successful',
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ExperimentCompleted',
          lastTransitionTime: at('10:01:10'),
          lastUpdateTime: at('10:01:10'),
          message: `Experiment "${EXP}" has successfully ran and completed.`,
        },
      ],
    },
  } as Experiment;
  const run: AnalysisRun = {
    ...analysisRun('checkout', `${EXP}-smoke`, {
      revision: 2,
      hash: 'bbb',
      phase: 'Successful',
      startedAt: '10:00:20',
      completedAt: '10:01:05',
    }),
  };
  // An Experiment's run: owned by the Experiment, without the Rollout's labels or revision.
  run.metadata = {
    name: `${EXP}-smoke`,
    namespace: NS,
    uid: `uid-${EXP}-smoke`,
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: EXP, uid: `uid-${EXP}` }],
  };
  const onExperiment = { kind: 'Experiment' as const, object: EXP };
  const events: Event[] = [
    event('checkout', 'ExperimentCreated', `Created Experiment '${EXP}'`, '10:00:10'),
    event('checkout', 'ExperimentPending', 'Experiment transitioned from  -> Pending', '10:00:10', onExperiment),
    event('checkout', 'AnalysisRunRunning', "AnalysisRun 'smoke' transitioned from  -> Running", '10:00:20', {
      ...onExperiment,
    }),
    event(
      'checkout',
      'AnalysisRunSuccessful',
      "AnalysisRun 'smoke' transitioned from Running -> Successful",
      '10:01:05',
      {
        ...onExperiment,
      }
    ),
    // Forwarded to the Rollout since v1.9, always as a Warning.
    event(
      'checkout',
      'AnalysisRunSuccessful',
      "AnalysisRun 'smoke' transitioned from Running -> Successful",
      '10:01:06',
      {
        type: 'Warning',
      }
    ),
    event('checkout', 'ExperimentSuccessful', 'Experiment transitioned from Running -> Successful', '10:01:10', {
      ...onExperiment,
    }),
  ];
  const lists = () =>
    input({
      events,
      rollouts: [rollout('checkout', { revision: 2, currentPodHash: 'bbb', stableRS: 'aaa', phase: 'Progressing' })],
      replicaSets: [replicaSet('checkout', 'bbb', 2, '10:00:00', 'shop/checkout:1.1')],
      analysisRuns: [run],
      experiments: [experiment],
    });

  it('returns the Experiment once: its span, with the Events of its creation and result', () => {
    const { entries } = buildTimeline(lists());
    const experiments = entries.filter((e) => e.category === 'steps');
    expect(experiments).toHaveLength(1);
    expect(experiments[0]).toMatchObject({
      span: 'experiment',
      kind: 'region',
      time: ms('10:00:10'),
      timeEnd: ms('10:01:10'),
      outcome: 'succeeded',
      revision: 2,
    });
    expect(experiments[0].sources.map((s) => s.kind)).toEqual(['Experiment', 'Event', 'Event', 'Event']);
  });

  it('returns its analysis once: the run, with the Events on the Experiment and on the Rollout', () => {
    const { entries } = buildTimeline(lists());
    const analyses = entries.filter((e) => e.category === 'analysis');
    expect(analyses).toHaveLength(1);
    expect(analyses[0]).toMatchObject({
      span: 'analysisRun',
      time: ms('10:00:20'),
      timeEnd: ms('10:01:05'),
      outcome: 'succeeded',
      revision: 2,
      analysis: { name: `${EXP}-smoke`, phase: 'Successful', type: 'Experiment' },
    });
    expect(analyses[0].sources.map((s) => s.kind)).toEqual(['AnalysisRun', 'Event', 'Event', 'Event']);
  });

  it('returns the analysis Events of the Experiment and of the Rollout as one point each once the run is gone', () => {
    const { entries } = buildTimeline({ ...lists(), analysisRuns: [] });
    const analyses = entries.filter((e) => e.category === 'analysis');
    expect(analyses.map((e) => [e.kind, e.analysis?.phase, e.sources.length, e.warning ?? false])).toEqual([
      ['point', 'Running', 1, false],
      // The Experiment's Event wins over the Rollout's copy, which the controller always records as a Warning.
      ['point', 'Successful', 2, false],
    ]);
  });
});

describe('buildTimeline with an experiment step of the spec (v1.9+ shapes)', () => {
  // rollout/experiment.go names the Experiment <rollout>-<pod hash>-<revision>-<step index>; its run is
  // <experiment>-<analysis>, or <experiment>-<analysis>.1 when the experiment controller created it a second time.
  const EXP = 'checkout-bbb-2-1';
  const steps = [
    { setWeight: 50 },
    {
      experiment: {
        templates: [{ name: 'preview', specRef: 'canary' }],
        analyses: [{ name: 'web', templateName: 'web' }],
      },
    },
  ];
  const experiment: Experiment = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name: EXP,
      namespace: NS,
      uid: `uid-${EXP}`,
      creationTimestamp: at('10:00:10'),
      labels: { 'rollouts-pod-template-hash': 'bbb' },
      annotations: { 'rollout.argoproj.io/revision': '2' },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'uid-checkout' }],
    },
    status: {
      phase: 'Successful',
      analysisRuns: [{ name: 'web', analysisRun: `${EXP}-web.1`, phase: 'Successful' }],
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ExperimentCompleted',
          lastTransitionTime: at('10:00:40'),
          lastUpdateTime: at('10:00:40'),
        },
      ],
    },
  };
  /** A run of the Experiment: owned by it, without the Rollout's labels or revision. */
  const experimentRun = (name: string, completedAt: string): AnalysisRun => {
    const run = analysisRun('checkout', name, {
      revision: 2,
      hash: 'bbb',
      phase: 'Successful',
      startedAt: '10:00:12',
      completedAt,
    });
    run.metadata = {
      name,
      namespace: NS,
      uid: `uid-${name}`,
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: EXP, uid: `uid-${EXP}` }],
    };
    return run;
  };
  const onRun = (name: string) => ({ kind: 'AnalysisRun' as const, object: name });
  const events: Event[] = [
    event('checkout', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
    event('checkout', 'ExperimentCreated', `Created Experiment '${EXP}'`, '10:00:10'),
    // The runs' own Events name them by their object names.
    event(
      'checkout',
      'MetricSuccessful',
      "Metric 'web-ok' Completed. Result: Successful",
      '10:00:38',
      onRun(`${EXP}-web`)
    ),
    event(
      'checkout',
      'AnalysisRunSuccessful',
      'Analysis Completed. Result: Successful',
      '10:00:38',
      onRun(`${EXP}-web`)
    ),
    event(
      'checkout',
      'AnalysisRunSuccessful',
      'Analysis Completed. Result: Successful',
      '10:00:39',
      onRun(`${EXP}-web.1`)
    ),
    event(
      'checkout',
      'AnalysisRunSuccessful',
      "AnalysisRun 'web' transitioned from Running -> Successful",
      '10:00:39',
      {
        type: 'Warning',
      }
    ),
    event('checkout', 'ExperimentSuccessful', 'Experiment transitioned from Running -> Successful', '10:00:40', {
      kind: 'Experiment',
      object: EXP,
    }),
    event('checkout', 'RolloutStepCompleted', 'Rollout step 2/2 completed (experiment)', '10:00:40'),
  ];
  const { entries, notices } = buildTimeline(
    input({
      events,
      rollouts: [rollout('checkout', { revision: 2, currentPodHash: 'bbb', stableRS: 'bbb', phase: 'Healthy', steps })],
      replicaSets: [replicaSet('checkout', 'bbb', 2, '10:00:00', 'shop/checkout:1.1')],
      analysisRuns: [experimentRun(`${EXP}-web`, '10:00:38'), experimentRun(`${EXP}-web.1`, '10:00:39')],
      experiments: [experiment],
    })
  );
  const experimentStep = { index: 2, total: 2, description: 'experiment' };

  it('returns no notices', () => {
    expect(notices).toEqual([]);
  });

  it("returns the Experiment's span with its step, which its step's completion is part of", () => {
    const steps = entries.filter((e) => e.category === 'steps');
    expect(steps.map((e) => [e.span, e.kind, e.time, e.timeEnd, e.outcome, e.step])).toEqual([
      ['experiment', 'region', ms('10:00:10'), ms('10:00:40'), 'succeeded', experimentStep],
    ]);
    expect(steps[0].sources.map((s) => s.kind)).toEqual(['Experiment', 'Event', 'Event', 'Event']);
  });

  it("returns each run of the Experiment once, in its revision and step, with its own Events and the Rollout's", () => {
    const analyses = entries.filter((e) => e.category === 'analysis');
    expect(
      analyses.map((e) => [e.analysis?.name, e.revision, e.step, e.timeEnd, e.sources.map((s) => s.kind)])
    ).toEqual([
      [`${EXP}-web`, 2, experimentStep, ms('10:00:38'), ['AnalysisRun', 'Event', 'Event']],
      [`${EXP}-web.1`, 2, experimentStep, ms('10:00:39'), ['AnalysisRun', 'Event', 'Event']],
    ]);
  });
});

describe('buildTimeline with a rollback to the stable ReplicaSet', () => {
  const scenario = () =>
    input({
      events: [
        event('cart', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
        event('cart', 'RolloutUpdated', 'Rollout updated to revision 3', '11:00:00'),
        event('cart', 'SkipSteps', 'Rollback to stable ReplicaSets', '11:00:01'),
      ],
      rollouts: [rollout('cart', { revision: 3, currentPodHash: 'c1', stableRS: 'c1', phase: 'Healthy' })],
      replicaSets: [
        replicaSet('cart', 'c1', 3, '09:00:00', 'shop/cart:1', [1]),
        replicaSet('cart', 'c2', 2, '10:00:00', 'shop/cart:2'),
      ],
    });

  it('returns the undone revision as rolled back, ending where the rollback started', () => {
    const { entries } = buildTimeline(scenario());
    const rev2 = entries.find((e) => e.span === 'revision' && e.revision === 2);
    expect(rev2).toMatchObject({ outcome: 'rolledBack', timeEnd: ms('11:00:00') });
    expect(rev2?.message).toBe('Revision 2 rolled back by revision 3 (back to the ReplicaSet of revision 1)');
  });

  it('returns one rollback point: the SkipSteps Event merged with the revision history', () => {
    const { entries } = buildTimeline(scenario());
    const rollbacks = entries.filter((e) => e.kind === 'point' && e.outcome === 'rolledBack');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({
      reason: 'SkipSteps',
      precision: 'exact',
      revision: 3,
      images: ['shop/cart:1'],
    });
    expect(rollbacks[0].relatedMessages).toEqual(['Rollback: revision 3 reuses the ReplicaSet of revision 1']);
  });

  it('returns the rollback region of revision 3 as succeeded with an unrecorded completion time', () => {
    const { entries } = buildTimeline(scenario());
    const rev3 = entries.find((e) => e.span === 'revision' && e.revision === 3);
    expect(rev3).toMatchObject({
      kind: 'point',
      outcome: 'succeeded',
      time: ms('11:00:00'),
      timeEnd: ms('11:00:00'),
      endUnknown: true,
    });
    expect(rev3?.derivation).toContain('end time not recorded');
  });
});

describe('buildTimeline with an update in progress', () => {
  it('keeps the current revision and its pause open until now, saying so', () => {
    const { entries } = buildTimeline(
      input({
        events: [
          event('web', 'RolloutUpdated', 'Rollout updated to revision 4', '11:00:00'),
          event('web', 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)', '11:00:10'),
        ],
        rollouts: [
          rollout('web', {
            revision: 4,
            currentPodHash: 'w4',
            stableRS: 'w3',
            phase: 'Paused',
            message: 'CanaryPauseStep',
            pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '11:00:10' }],
          }),
        ],
        replicaSets: [replicaSet('web', 'w4', 4, '11:00:00', 'web:4')],
      })
    );
    const current = entries.find((e) => e.kind === 'region' && e.category === 'lifecycle');
    expect(current).toMatchObject({ outcome: 'inProgress', timeEnd: ms('12:00:00'), precision: 'exact' });
    expect(current?.message).toBe('Revision 4 in progress (Paused: CanaryPauseStep)');
    const pauses = entries.filter((e) => e.kind === 'region' && e.reason === 'RolloutPaused');
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ time: ms('11:00:10'), timeEnd: ms('12:00:00'), outcome: 'inProgress' });
    expect(pauses[0].sources.map((s) => s.kind).sort()).toEqual(['Event', 'Rollout']);
  });
});

describe('buildTimeline with Events the recorder combined or mangled', () => {
  it('returns an aggregated Event with its prefix removed and marked as combined', () => {
    const { entries } = buildTimeline(
      input({
        events: [
          event(
            'web',
            'TrafficWeightUpdated',
            '(combined from similar events): Traffic weight updated from 20 to 40',
            '10:00:00',
            {
              last: '10:05:00',
              count: 7,
            }
          ),
        ],
      })
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      category: 'traffic',
      message: 'Traffic weight updated from 20 to 40',
      aggregated: true,
      count: 7,
      time: ms('10:05:00'),
    });
    expect(entries[0].derivation).toContain('combined similar messages');
  });

  it('keeps unknown reasons as generic entries: warnings as errors, others as lifecycle', () => {
    const { entries } = buildTimeline(
      input({
        events: [
          event('web', 'SomethingNew', 'A future controller says hello', '10:00:00'),
          event('web', 'SomethingBroke', 'A future controller is unhappy', '10:00:01', { type: 'Warning' }),
        ],
      })
    );
    expect(entries.map((e) => [e.reason, e.category, e.outcome ?? null])).toEqual([
      ['SomethingNew', 'lifecycle', null],
      ['SomethingBroke', 'errors', null],
    ]);
  });

  it('ignores Events about other kinds with a notice and keeps the rest', () => {
    const { entries, notices } = buildTimeline(
      input({
        events: [
          event('web', 'ScalingReplicaSet', 'Scaled up replica set web-5d9 to 3', '10:00:00', { kind: 'Deployment' }),
          event('web', 'Pulled', 'Container image pulled', '10:00:00', { kind: 'Pod', object: 'web-5d9-abc' }),
          event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '10:00:00'),
        ],
      })
    );
    // The revision's end is not recorded: its span is drawn as a point at its start.
    expect(entries.map((e) => [e.kind, e.span ?? null, e.reason ?? null])).toEqual([
      ['point', 'revision', null],
      ['point', null, 'RolloutUpdated'],
    ]);
    expect(entries.every((e) => e.rollout === 'web' && e.namespace === NS)).toBe(true);
    expect(notices).toEqual(['Ignored 2 Events about objects other than Rollouts, AnalysisRuns and Experiments.']);
  });

  it('skips Events without a usable timestamp with a notice', () => {
    const zero = {
      ...event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '10:00:00'),
      firstTimestamp: '0001-01-01T00:00:00Z',
      lastTimestamp: undefined,
    } as unknown as Event;
    const { entries, notices } = buildTimeline(input({ events: [zero] }));
    expect(entries).toEqual([]);
    expect(notices).toEqual(['Skipped 1 Event without a usable timestamp.']);
  });

  it('reports invalid and huge counts and a last time before the first time, and keeps the Events', () => {
    const { entries, notices } = buildTimeline(
      input({
        events: [
          event('web', 'CanaryMappingWeightUpdate', 'Set canary mapping weight to 20', '10:00:00', { count: 1e9 }),
          event('web', 'RolloutResumed', 'Rollout is resumed', '10:00:01', { count: -3 }),
          event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '10:05:00', { last: '10:00:00', count: 2 }),
        ],
      })
    );
    expect(entries.filter((e) => e.span === undefined)).toHaveLength(3);
    expect(entries.find((e) => e.reason === 'RolloutResumed')?.count).toBe(1);
    expect(entries.find((e) => e.reason === 'RolloutUpdated')).toMatchObject({
      firstTime: ms('10:00:00'),
      lastTime: ms('10:05:00'),
    });
    expect(notices).toEqual([
      '1 Event has an invalid count; counted once.',
      '1 Event reports more than 100000 occurrences; shown as reported.',
      '1 Event has a last time before its first time (clock skew?); the two were swapped.',
    ]);
  });

  it('reports entries dated after now as clock skew and still returns them', () => {
    const { entries, notices } = buildTimeline(
      input({ events: [event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '13:00:00')] })
    );
    expect(entries.map((e) => e.time)).toEqual([ms('13:00:00'), ms('13:00:00')]);
    expect(notices).toEqual(['2 entries are dated after the current time (clock skew between cluster and browser?).']);
  });

  it('shows a region whose recorded end is before its start as ending at its start, with a notice', () => {
    const run = analysisRun('web', 'web-abc-1-1', {
      revision: 1,
      hash: 'abc',
      phase: 'Successful',
      startedAt: '10:00:00',
      completedAt: '09:59:00',
    });
    const { entries, notices } = buildTimeline(input({ analysisRuns: [run] }));
    expect(entries[0]).toMatchObject({ time: ms('10:00:00'), timeEnd: ms('10:00:00') });
    expect(notices).toEqual(['1 region ends before its start (clock skew?); shown ending at its start.']);
  });

  it('returns the rest with notices when objects do not parse', () => {
    const junk = [null, 42, 'text', {}, { metadata: {} }, []];
    const { entries, notices } = buildTimeline(
      input({
        events: [...junk, event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '10:00:00')] as Event[],
        rollouts: junk as Rollout[],
        replicaSets: junk as ReplicaSet[],
        analysisRuns: junk as AnalysisRun[],
        experiments: junk as [],
      })
    );
    expect(entries.filter((e) => e.span === undefined).map((e) => e.reason)).toEqual(['RolloutUpdated']);
    expect(notices).toEqual([
      'Skipped 6 Events that could not be read (no reason or object).',
      'Skipped 6 Rollouts that could not be read (no metadata.name).',
      'Skipped 6 AnalysisRuns that could not be read (no metadata.name).',
      'Skipped 6 Experiments that could not be read (no metadata.name).',
    ]);
  });
});

describe('buildTimeline range, ids and tags', () => {
  it('returns points inside the range and regions overlapping it', () => {
    const scenario = failedAnalysisScenario();
    const { entries } = buildTimeline(input({ ...scenario, range: { from: ms('10:00:30'), to: ms('10:01:00') } }));
    expect(entries.every((e) => e.kind === 'region')).toBe(true);
    expect(entries.map((e) => e.category).sort()).toEqual(['analysis', 'lifecycle']);
  });

  it('gives the same ids whatever the order of the input lists', () => {
    const scenario = failedAnalysisScenario();
    const forward = buildTimeline(input(scenario)).entries.map((e) => e.id);
    const reversed = buildTimeline(
      input({
        events: [...scenario.events].reverse(),
        rollouts: [...scenario.rollouts].reverse(),
        replicaSets: [...scenario.replicaSets].reverse(),
        analysisRuns: [...scenario.analysisRuns].reverse(),
      })
    ).entries.map((e) => e.id);
    expect(reversed).toEqual(forward);
    expect(new Set(forward).size).toBe(forward.length);
  });

  it('gives an Event the same id when other Events are added before it', () => {
    const updated = event('web', 'RolloutUpdated', 'Rollout updated to revision 1', '10:00:00', { name: 'web.aaa' });
    const alone = buildTimeline(input({ events: [updated] })).entries.find((e) => e.reason === 'RolloutUpdated')?.id;
    expect(alone).toBeDefined();
    const withOthers = buildTimeline(
      input({ events: [event('web', 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)', '09:00:00'), updated] })
    ).entries.find((e) => e.reason === 'RolloutUpdated')?.id;
    expect(withOthers).toBe(alone);
  });

  it('gives every entry the built-in tags and the mapped Rollout labels', () => {
    const { entries, tagsOf } = buildTimeline(
      input({
        ...failedAnalysisScenario(),
        tagMapping: {
          metadataRules: [{ source: 'label', key: 'app.kubernetes.io/part-of', tagName: 'app' }],
          reasonRules: [{ reason: 'RolloutAborted', tags: ['page-oncall'] }],
          staticTags: ['argo'],
        },
      })
    );
    const abort = entries.find((e) => e.kind === 'point' && e.reason === 'RolloutAborted');
    expect(abort).toBeDefined();
    expect(tagsOf(abort!)).toEqual([
      'cluster:prod-eu',
      `namespace:${NS}`,
      'rollout:checkout',
      'revision:2',
      'reason:RolloutAborted',
      'category:lifecycle',
      'outcome:aborted',
      'strategy:canary',
      'precision:exact',
      'app:shop',
      'page-oncall',
      'argo',
    ]);
  });

  it('tags with the label key when a rule names its tag with something other than text', () => {
    const scenario = failedAnalysisScenario();
    const broken = {
      metadataRules: [{ source: 'label', key: 'team', tagName: 5 }],
    } as unknown as TagMapping;
    const labelled = scenario.rollouts.map((r) => ({ ...r, metadata: { ...r.metadata, labels: { team: 'pay' } } }));
    const result = buildTimeline(input({ ...scenario, rollouts: labelled, tagMapping: broken }));
    expect(result.notices).toEqual([]);
    expect(result.entries.length).toBeGreaterThan(0);
    expect(result.entries.every((entry) => result.tagsOf(entry).includes('team:pay'))).toBe(true);
  });
});

describe('buildTimeline moments that only the Rollout status shows', () => {
  const withStatus = (
    status: Partial<NonNullable<Rollout['status']>>,
    spec: Partial<NonNullable<Rollout['spec']>> = {}
  ) => {
    const base = rollout('api', { revision: 5, currentPodHash: 'a5', stableRS: 'a4', phase: 'Progressing' });
    return buildTimeline(
      input({
        rollouts: [{ ...base, spec: { ...base.spec, ...spec }, status: { ...base.status, ...status } }],
        replicaSets: [replicaSet('api', 'a5', 5, '09:00:00', 'api:5')],
      })
    ).entries.filter((e) => e.kind === 'point' || e.category !== 'lifecycle');
  };

  it('returns a retry from the RolloutRetry Progressing condition, marked reconstructed', () => {
    const entries = withStatus({
      conditions: [
        {
          type: 'Progressing',
          status: 'Unknown',
          reason: 'RolloutRetry',
          message: 'Retrying Rollout after abort',
          lastTransitionTime: at('10:00:00'),
        },
      ],
    });
    expect(entries).toEqual([
      expect.objectContaining({
        time: ms('10:00:00'),
        reason: 'RolloutRetry',
        precision: 'reconstructed',
        revision: 5,
        message: 'Retry: Retrying Rollout after abort',
      }),
    ]);
  });

  it('returns a restart at status.restartedAt', () => {
    const entries = withStatus({ restartedAt: at('10:30:00') });
    expect(entries).toEqual([
      expect.objectContaining({
        time: ms('10:30:00'),
        precision: 'exact',
        message: 'Restart: pods restarted',
        images: ['api:5'],
      }),
    ]);
  });

  it('returns an exceeded progress deadline as a degraded error point', () => {
    const entries = withStatus({
      phase: 'Degraded',
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "api-a5" has timed out progressing.',
          lastTransitionTime: at('10:10:00'),
        },
      ],
    });
    expect(entries).toEqual([
      expect.objectContaining({
        time: ms('10:10:00'),
        category: 'errors',
        outcome: 'degraded',
        reason: 'ProgressDeadlineExceeded',
      }),
    ]);
  });

  it('returns a manual pause (spec.paused) as an open region from the Paused condition', () => {
    const entries = withStatus(
      {
        phase: 'Paused',
        conditions: [{ type: 'Paused', status: 'True', reason: 'RolloutPaused', lastTransitionTime: at('11:00:00') }],
      },
      { paused: true }
    );
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'region',
        time: ms('11:00:00'),
        timeEnd: ms('12:00:00'),
        outcome: 'inProgress',
        precision: 'reconstructed',
        message: 'Manually paused (spec.paused)',
      }),
    ]);
  });
});

/**
 * `status.duration` as Argo Rollouts' main branch writes it (types.go `RolloutDurationStatus`, set in
 * rollout/sync.go `calculateStatusDuration`): the latest update attempt's start, end and completion status.
 */
function withDuration(
  base: Rollout,
  duration: NonNullable<NonNullable<Rollout['status']>['duration']>,
  status: Partial<NonNullable<Rollout['status']>> = {}
): Rollout {
  return { ...base, status: { ...base.status, ...status, duration } };
}

describe('buildTimeline with status.duration from newer controllers', () => {
  const revisionSpan = (entries: TimelineEntry[], revision: number) =>
    entries.find((e) => e.span === 'revision' && e.revision === revision);

  it('takes the exact start, end and outcome of a promoted update from status.duration when no Event is left', () => {
    const base = rollout('pay', { revision: 4, currentPodHash: 'p2', stableRS: 'p2', phase: 'Healthy' });
    const { entries } = buildTimeline(
      input({
        rollouts: [
          withDuration(base, {
            rolloutStartedAt: at('10:00:00'),
            finishedAt: at('10:20:00'),
            completionStatus: 'Promoted',
          }),
        ],
        // Revision 4 reused the ReplicaSet of revision 2: its creation says nothing of revision 4.
        replicaSets: [replicaSet('pay', 'p2', 4, '08:00:00', 'pay:2', [2])],
      })
    );
    expect(revisionSpan(entries, 4)).toMatchObject({
      kind: 'region',
      time: ms('10:00:00'),
      timeEnd: ms('10:20:00'),
      outcome: 'succeeded',
      precision: 'exact',
      images: ['pay:2'],
      message: 'Revision 4 completed (Promoted)',
    });
    expect(revisionSpan(entries, 4)?.derivation).toBe(
      'started at status.duration.rolloutStartedAt (2026-11-20T10:00:00Z); ended at status.duration.finishedAt (completionStatus Promoted)'
    );
    const completions = entries.filter((e) => e.span === undefined && e.reason === 'RolloutCompleted');
    expect(completions).toMatchObject([
      {
        time: ms('10:20:00'),
        revision: 4,
        outcome: 'succeeded',
        precision: 'exact',
        message: 'Completed update to revision 4: Promoted',
        derivation: 'time from status.duration.finishedAt (completionStatus Promoted)',
      },
    ]);
  });

  it('returns one completion for the RolloutCompleted Event and status.duration, at the Event, with both sources', () => {
    const base = rollout('pay', { revision: 2, currentPodHash: 'p2', stableRS: 'p2', phase: 'Healthy' });
    const { entries } = buildTimeline(
      input({
        events: [
          event('pay', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
          event(
            'pay',
            'RolloutCompleted',
            'Rollout completed update to revision 2 (p2): Full promotion requested',
            '10:05:00'
          ),
        ],
        rollouts: [
          withDuration(base, {
            rolloutStartedAt: at('10:00:00'),
            finishedAt: at('10:05:01'),
            completionStatus: 'FastPromoted',
          }),
        ],
        replicaSets: [replicaSet('pay', 'p2', 2, '10:00:00', 'pay:2')],
      })
    );
    const completions = entries.filter((e) => e.span === undefined && e.reason === 'RolloutCompleted');
    expect(completions).toHaveLength(1);
    expect(completions[0]).toMatchObject({
      time: ms('10:05:00'),
      precision: 'exact',
      message: 'Rollout completed update to revision 2 (p2): Full promotion requested',
      relatedMessages: ['Completed update to revision 2: FastPromoted'],
    });
    expect(completions[0].sources.map((s) => s.kind)).toEqual(['Event', 'Rollout']);
    // The Events tell the start and end; status.duration agrees and adds nothing.
    expect(revisionSpan(entries, 2)).toMatchObject({
      time: ms('10:00:00'),
      timeEnd: ms('10:05:00'),
      precision: 'exact',
      message: 'Revision 2 completed: Full promotion requested',
    });
  });

  it('ends an aborted update at status.duration.finishedAt, with one abort point', () => {
    const base = rollout('pay', {
      revision: 2,
      currentPodHash: 'p2',
      stableRS: 'p1',
      phase: 'Degraded',
      abort: true,
      abortedAt: '10:03:00',
    });
    const { entries } = buildTimeline(
      input({
        rollouts: [
          withDuration(base, {
            rolloutStartedAt: at('10:00:00'),
            finishedAt: at('10:03:00'),
            completionStatus: 'Aborted',
          }),
        ],
        replicaSets: [replicaSet('pay', 'p1', 1, '09:00:00', 'pay:1'), replicaSet('pay', 'p2', 2, '10:00:00', 'pay:2')],
      })
    );
    expect(revisionSpan(entries, 2)).toMatchObject({
      time: ms('10:00:00'),
      timeEnd: ms('10:03:00'),
      outcome: 'aborted',
      precision: 'exact',
    });
    const aborts = entries.filter((e) => e.span === undefined && e.outcome === 'aborted');
    expect(aborts).toMatchObject([{ time: ms('10:03:00'), revision: 2, precision: 'exact' }]);
  });

  it.each(['RolledBack', 'FastRolledBack'] as const)(
    'returns the update undone by a rollback (%s) as rolled back, and the rollback as completed at finishedAt',
    (completionStatus) => {
      // Revision 3 was in progress when the template of revision 1 was applied again: revision 4 reuses the
      // stable ReplicaSet, and the attempt that started with revision 3 finishes when the rollback is complete.
      const base = rollout('pay', {
        revision: 4,
        currentPodHash: 'p1',
        stableRS: 'p1',
        phase: 'Healthy',
        conditions: [
          { type: 'Completed', status: 'True', reason: 'RolloutCompleted', lastTransitionTime: at('10:10:00') },
        ],
      });
      const { entries } = buildTimeline(
        input({
          rollouts: [
            withDuration(base, { rolloutStartedAt: at('10:00:00'), finishedAt: at('10:10:00'), completionStatus }),
          ],
          replicaSets: [
            replicaSet('pay', 'p1', 4, '09:00:00', 'pay:1', [1]),
            replicaSet('pay', 'p3', 3, '10:00:00', 'pay:3'),
          ],
        })
      );
      expect(revisionSpan(entries, 3)).toMatchObject({ time: ms('10:00:00'), outcome: 'rolledBack' });
      expect(revisionSpan(entries, 3)?.message).toMatch(/^Revision 3 rolled back by revision 4/);
      // Its own start is not recorded (it reused a ReplicaSet, and no Event is left): placed at its completion.
      expect(revisionSpan(entries, 4)).toMatchObject({
        kind: 'point',
        time: ms('10:10:00'),
        timeEnd: ms('10:10:00'),
        outcome: 'succeeded',
        message: `Revision 4 completed (${completionStatus})`,
      });
      expect(revisionSpan(entries, 4)?.endUnknown).toBeUndefined();
      const rollbackDone = entries.find((e) => e.message.startsWith('Rollback of revision 3 completed'));
      expect(rollbackDone).toMatchObject({
        kind: 'point',
        time: ms('10:10:00'),
        revision: 4,
        outcome: 'rolledBack',
        precision: 'exact',
      });
    }
  );

  it('keeps the first start of a revision whose attempt began again with a retry', () => {
    const base = rollout('pay', { revision: 2, currentPodHash: 'p2', stableRS: 'p1', phase: 'Progressing' });
    const { entries } = buildTimeline(
      input({
        rollouts: [withDuration(base, { rolloutStartedAt: at('10:30:00') })],
        replicaSets: [replicaSet('pay', 'p1', 1, '09:00:00', 'pay:1'), replicaSet('pay', 'p2', 2, '10:00:00', 'pay:2')],
      })
    );
    expect(revisionSpan(entries, 2)).toMatchObject({
      time: ms('10:00:00'),
      timeEnd: ms('12:00:00'),
      outcome: 'inProgress',
      precision: 'reconstructed',
    });
  });

  it('takes the exact start of an update still in progress', () => {
    const base = rollout('pay', { revision: 2, currentPodHash: 'p2', stableRS: 'p1', phase: 'Paused' });
    const { entries } = buildTimeline(
      input({
        rollouts: [withDuration(base, { rolloutStartedAt: at('10:00:01'), manualPauseStartedAt: at('10:01:00') })],
        replicaSets: [replicaSet('pay', 'p1', 1, '09:00:00', 'pay:1'), replicaSet('pay', 'p2', 2, '10:00:00', 'pay:2')],
      })
    );
    expect(revisionSpan(entries, 2)).toMatchObject({
      time: ms('10:00:01'),
      timeEnd: ms('12:00:00'),
      outcome: 'inProgress',
      precision: 'exact',
    });
  });

  it.each([
    ['known from its Event', [event('pay', 'RolloutUpdated', 'Rollout updated to revision 3', '11:00:00')]],
    ['not known', []],
  ])(
    'gives an attempt that ended before a rollback to the stable ReplicaSet to the revision it was about (start of the rollback %s)',
    (_, events) => {
      // Revision 2 was aborted; then the template of revision 1 was applied again: revision 3 reuses the stable
      // ReplicaSet, which starts no new attempt, so status.duration still tells of revision 2.
      const base = rollout('pay', { revision: 3, currentPodHash: 'p1', stableRS: 'p1', phase: 'Healthy' });
      const { entries } = buildTimeline(
        input({
          events,
          rollouts: [
            withDuration(base, {
              rolloutStartedAt: at('10:00:00'),
              finishedAt: at('10:03:00'),
              completionStatus: 'Aborted',
            }),
          ],
          replicaSets: [
            replicaSet('pay', 'p1', 3, '09:00:00', 'pay:1', [1]),
            replicaSet('pay', 'p2', 2, '10:00:00', 'pay:2'),
          ],
        })
      );
      expect(revisionSpan(entries, 2)).toMatchObject({
        time: ms('10:00:00'),
        timeEnd: ms('10:03:00'),
        outcome: 'rolledBack',
        message: 'Revision 2 aborted, then rolled back by revision 3 (back to the ReplicaSet of revision 1)',
      });
      expect(revisionSpan(entries, 3)?.outcome).toBe(events.length > 0 ? 'succeeded' : undefined);
      expect(entries.filter((e) => e.outcome === 'aborted').map((e) => [e.revision, e.time])).toEqual([
        [2, ms('10:03:00')],
      ]);
    }
  );

  it('changes nothing for a Rollout without status.duration', () => {
    const base = rollout('pay', { revision: 4, currentPodHash: 'p2', stableRS: 'p2', phase: 'Healthy' });
    const lists = { replicaSets: [replicaSet('pay', 'p2', 4, '08:00:00', 'pay:2', [2])] };
    const without = buildTimeline(input({ ...lists, rollouts: [base] }));
    const withEmpty = buildTimeline(input({ ...lists, rollouts: [withDuration(base, {})] }));
    expect(withEmpty.entries).toEqual(without.entries);
  });
});
