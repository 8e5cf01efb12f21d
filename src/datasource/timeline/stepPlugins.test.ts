import type { CanaryStep, StepPluginStatus } from '../model/argo';
import { buildTimeline } from './buildTimeline';
import { at, event, input, ms, replicaSet, rollout, type RolloutOptions } from './testing/builders';
import type { TimelineEntry } from './types';

/**
 * Plugin steps in the shapes Argo Rollouts v1.8+ writes them: `status.canary.stepPluginStatuses` (one per step and
 * operation of the current update, rollout/steps/plugin/plugin.go) and `StepPluginTransition` Events
 * (rollout/stepplugin.go).
 */
const PLUGIN = 'step/e2e-test';
const STEPS: CanaryStep[] = [
  { setWeight: 50 },
  { plugin: { name: PLUGIN, config: { return: 'Successful' } } },
  { plugin: { name: PLUGIN, config: { return: 'Running' } } },
];

function status(
  index: number,
  operation: StepPluginStatus['operation'],
  phase: StepPluginStatus['phase'],
  startedAt: string,
  finishedAt?: string,
  extra: Partial<StepPluginStatus> = {}
): StepPluginStatus {
  return {
    index,
    name: PLUGIN,
    operation,
    phase,
    startedAt: at(startedAt),
    finishedAt: finishedAt ? at(finishedAt) : undefined,
    ...extra,
  };
}

/** The Rollout `checkout` updating to revision 2 (pod hash bbb) with these plugin statuses. */
function checkout(stepPluginStatuses: StepPluginStatus[], options: Partial<RolloutOptions> = {}) {
  return rollout('checkout', {
    revision: 2,
    currentPodHash: 'bbb',
    stableRS: 'aaa',
    phase: 'Progressing',
    steps: STEPS,
    currentStepIndex: 2,
    stepPluginStatuses,
    ...options,
  });
}

const REPLICA_SETS = [
  replicaSet('checkout', 'aaa', 1, '09:00:00', 'shop/checkout:1.0'),
  replicaSet('checkout', 'bbb', 2, '10:00:00', 'shop/checkout:1.1'),
];

const transition = (message: string, time: string, type: 'Normal' | 'Warning' = 'Normal') =>
  event('checkout', 'StepPluginTransition', message, time, { type });

function pluginEntries(parts: Parameters<typeof input>[0]): TimelineEntry[] {
  const { entries, notices } = buildTimeline(input({ replicaSets: REPLICA_SETS, ...parts }));
  expect(notices).toEqual([]);
  return entries.filter((e) => e.reason === 'StepPluginTransition');
}

/** What a check reads of a plugin step entry. */
const shown = (e: TimelineEntry) => ({
  kind: e.kind,
  span: e.span,
  time: new Date(e.time).toISOString(),
  timeEnd: new Date(e.timeEnd).toISOString(),
  revision: e.revision,
  outcome: e.outcome,
  step: e.step,
  message: e.message,
  precision: e.precision,
  sources: e.sources.map((s) => s.kind),
});

describe('plugin steps from status.canary.stepPluginStatuses', () => {
  it('returns the run of a step that succeeded within one second as a point with its end known', () => {
    const entries = pluginEntries({ rollouts: [checkout([status(1, 'Run', 'Successful', '10:00:05', '10:00:05')])] });
    expect(entries.map(shown)).toEqual([
      {
        kind: 'point',
        span: 'stepPlugin',
        time: at('10:00:05').replace('Z', '.000Z'),
        timeEnd: at('10:00:05').replace('Z', '.000Z'),
        revision: 2,
        outcome: 'succeeded',
        step: { index: 2, total: 3, description: `plugin: ${PLUGIN}` },
        message: `Step plugin ${PLUGIN} (step 2) succeeded`,
        precision: 'exact',
        sources: ['Rollout'],
      },
    ]);
    expect(entries[0].endUnknown).toBeUndefined();
  });

  it('keeps the run of the current step open until now, saying how often the plugin was called', () => {
    const entries = pluginEntries({
      rollouts: [checkout([status(2, 'Run', 'Running', '10:00:05', undefined, { executions: 3 })])],
    });
    expect(entries.map((e) => [e.kind, e.time, e.timeEnd, e.outcome, e.message])).toEqual([
      [
        'region',
        ms('10:00:05'),
        ms('12:00:00'),
        'inProgress',
        `Step plugin ${PLUGIN} (step 3) running (called 3 times)`,
      ],
    ]);
  });

  it("keeps a run that returned an error open while the update waits on its step, with the plugin's message", () => {
    const entries = pluginEntries({
      rollouts: [
        checkout([
          status(2, 'Run', 'Error', '10:00:05', undefined, { message: "phase 'x' is not valid", executions: 2 }),
        ]),
      ],
    });
    expect(entries.map((e) => [e.kind, e.outcome, e.message])).toEqual([
      [
        'region',
        'inProgress',
        `Step plugin ${PLUGIN} (step 3) returned an error; retried: phase 'x' is not valid (called 2 times)`,
      ],
    ]);
  });

  it('ends a run that was still running when the update was fully promoted at its termination: superseded', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout(
          [
            status(1, 'Run', 'Successful', '10:00:05', '10:00:05'),
            status(2, 'Run', 'Running', '10:00:05'),
            status(2, 'Terminate', 'Successful', '10:00:30', '10:00:30'),
          ],
          { phase: 'Healthy', stableRS: 'bbb', currentStepIndex: 3 }
        ),
      ],
    });
    // At one instant, what was going on (the region) comes before what happened.
    expect(entries.map((e) => [e.kind, e.time, e.timeEnd, e.outcome, e.message])).toEqual([
      [
        'region',
        ms('10:00:05'),
        ms('10:00:30'),
        'superseded',
        `Step plugin ${PLUGIN} (step 3) terminated (Successful)`,
      ],
      ['point', ms('10:00:05'), ms('10:00:05'), 'succeeded', `Step plugin ${PLUGIN} (step 2) succeeded`],
    ]);
    expect(entries[0].derivation).toBe(
      "start from the step plugin status's startedAt (2026-11-20T10:00:05Z); end from the Terminate operation's finishedAt"
    );
  });

  it('returns the failed run, and a point for the abort of the step that had succeeded', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout(
          [
            status(1, 'Run', 'Successful', '10:00:05', '10:00:05'),
            status(2, 'Run', 'Failed', '10:00:06', '10:00:09', { message: 'smoke test failed' }),
            status(1, 'Abort', 'Successful', '10:00:10', '10:00:10'),
          ],
          { phase: 'Degraded', abort: true, abortedAt: '10:00:09' }
        ),
      ],
    });
    expect(entries.map((e) => [e.span, e.kind, e.time, e.timeEnd, e.outcome, e.step?.index, e.message])).toEqual([
      [
        'stepPlugin',
        'point',
        ms('10:00:05'),
        ms('10:00:05'),
        'succeeded',
        2,
        `Step plugin ${PLUGIN} (step 2) succeeded`,
      ],
      [
        'stepPlugin',
        'region',
        ms('10:00:06'),
        ms('10:00:09'),
        'failed',
        3,
        `Step plugin ${PLUGIN} (step 3) failed: smoke test failed`,
      ],
      [
        undefined,
        'point',
        ms('10:00:10'),
        ms('10:00:10'),
        'aborted',
        2,
        `Step plugin ${PLUGIN} (step 2) aborted (Successful)`,
      ],
    ]);
  });

  it('ends a run that was running when the update was aborted at its abort', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout([status(2, 'Run', 'Running', '10:00:05'), status(2, 'Abort', 'Failed', '10:00:40', '10:00:41')], {
          phase: 'Degraded',
          abort: true,
          abortedAt: '10:00:40',
        }),
      ],
    });
    expect(entries.map((e) => [e.kind, e.time, e.timeEnd, e.outcome, e.message])).toEqual([
      ['region', ms('10:00:05'), ms('10:00:41'), 'aborted', `Step plugin ${PLUGIN} (step 3) aborted (Failed)`],
    ]);
  });

  it('does not know the end of a run the update went past without ending it (a promote that skipped the step)', () => {
    const entries = pluginEntries({
      rollouts: [checkout([status(1, 'Run', 'Running', '10:00:05')], { currentStepIndex: 2 })],
    });
    expect(entries.map((e) => [e.kind, e.time, e.timeEnd, e.endUnknown, e.outcome, e.message])).toEqual([
      [
        'point',
        ms('10:00:05'),
        ms('10:00:05'),
        true,
        'unknown',
        `Step plugin ${PLUGIN} (step 2) was running when the update went past it`,
      ],
    ]);
  });

  it('does not know the end of a run that returned errors when the update was aborted (no abort is called for it)', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout([status(2, 'Run', 'Error', '10:00:05', undefined, { message: 'boom' })], {
          phase: 'Degraded',
          abort: true,
          abortedAt: '10:00:40',
        }),
      ],
    });
    expect(entries.map((e) => [e.kind, e.endUnknown, e.outcome, e.message])).toEqual([
      ['point', true, 'unknown', `Step plugin ${PLUGIN} (step 3) returned an error when the update was aborted: boom`],
    ]);
  });

  it('returns no entry for a step whose plugin is disabled (skipped without a time)', () => {
    const disabled: StepPluginStatus = { index: 1, name: PLUGIN, operation: 'Run', disabled: true };
    expect(pluginEntries({ rollouts: [checkout([disabled])] })).toEqual([]);
  });

  it('names the step without its total when the spec no longer has that plugin step', () => {
    const entries = pluginEntries({
      rollouts: [checkout([status(1, 'Run', 'Successful', '10:00:05', '10:00:05')], { steps: [{ setWeight: 50 }] })],
    });
    expect(entries.map((e) => [e.step, e.message])).toEqual([[undefined, `Step plugin ${PLUGIN} (step 2) succeeded`]]);
  });

  it('skips statuses without an index, name or operation and keeps the others', () => {
    const broken = [
      { name: PLUGIN, operation: 'Run' },
      { index: 1, operation: 'Run' },
      { index: -1, name: PLUGIN },
    ];
    const entries = pluginEntries({
      rollouts: [checkout([...(broken as StepPluginStatus[]), status(1, 'Run', 'Successful', '10:00:05', '10:00:05')])],
    });
    expect(entries.map((e) => e.message)).toEqual([`Step plugin ${PLUGIN} (step 2) succeeded`]);
  });
});

describe('plugin steps: one entry per fact with the Events', () => {
  it('takes in the Events of a run: Running at its start, its termination at its end', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout(
          [status(2, 'Run', 'Running', '10:00:05'), status(2, 'Terminate', 'Successful', '10:00:30', '10:00:30')],
          { phase: 'Healthy', stableRS: 'bbb', currentStepIndex: 3 }
        ),
      ],
      events: [
        transition(`Step plugin ${PLUGIN} (step 3) transitioned to Running`, '10:00:05'),
        transition(`Step plugin ${PLUGIN} (step 3) terminated (Successful)`, '10:00:30'),
      ],
    });
    expect(entries.map(shown)).toEqual([
      expect.objectContaining({
        kind: 'region',
        outcome: 'superseded',
        message: `Step plugin ${PLUGIN} (step 3) terminated (Successful)`,
        sources: ['Rollout', 'Event', 'Event'],
      }),
    ]);
  });

  it("takes in the step's RolloutStepCompleted: a successful run records that instead of a transition", () => {
    const { entries } = buildTimeline(
      input({
        replicaSets: REPLICA_SETS,
        rollouts: [checkout([status(1, 'Run', 'Successful', '10:00:05', '10:00:05')])],
        events: [
          event('checkout', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
          event('checkout', 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 50)', '10:00:04'),
          event('checkout', 'RolloutStepCompleted', `Rollout step 2/3 completed (plugin: ${PLUGIN})`, '10:00:05'),
        ],
      })
    );
    const steps = entries.filter((e) => e.category === 'steps');
    expect(steps.map((e) => [e.reason, e.step?.index, e.message, e.sources.map((s) => s.kind)])).toEqual([
      ['RolloutStepCompleted', 1, 'Rollout step 1/3 completed (setWeight: 50)', ['Event']],
      ['StepPluginTransition', 2, `Step plugin ${PLUGIN} (step 2) succeeded`, ['Rollout', 'Event']],
    ]);
  });

  it('returns one entry for the failure and one for the abort, each seen in the status and an Event', () => {
    const entries = pluginEntries({
      rollouts: [
        checkout(
          [
            status(1, 'Run', 'Successful', '10:00:05', '10:00:05'),
            status(2, 'Run', 'Failed', '10:00:06', '10:00:06'),
            status(1, 'Abort', 'Successful', '10:00:06', '10:00:06'),
          ],
          { phase: 'Degraded', abort: true, abortedAt: '10:00:06' }
        ),
      ],
      events: [
        transition(`Step plugin ${PLUGIN} (step 3) transitioned to Failed`, '10:00:06', 'Warning'),
        transition(`Step plugin ${PLUGIN} (step 2) aborted (Successful)`, '10:00:06'),
      ],
    });
    expect(entries.map((e) => [e.step?.index, e.outcome, e.message, e.sources.map((s) => s.kind)])).toEqual([
      [2, 'succeeded', `Step plugin ${PLUGIN} (step 2) succeeded`, ['Rollout']],
      [2, 'aborted', `Step plugin ${PLUGIN} (step 2) aborted (Successful)`, ['Event', 'Rollout']],
      [3, 'failed', `Step plugin ${PLUGIN} (step 3) failed`, ['Rollout', 'Event']],
    ]);
  });

  it('keeps an error the plugin returned as a point of its own inside the open run: it is retried, no result', () => {
    const entries = pluginEntries({
      rollouts: [checkout([status(2, 'Run', 'Error', '10:00:05', undefined, { message: 'boom' })])],
      events: [
        transition(`Step plugin ${PLUGIN} (step 3) transitioned to Running`, '10:00:05'),
        transition(`Step plugin ${PLUGIN} (step 3) transitioned to Error`, '10:00:36', 'Warning'),
      ],
    });
    expect(entries.map((e) => [e.kind, e.outcome, e.warning ?? false, e.chatter ?? false, e.message])).toEqual([
      ['region', 'inProgress', false, false, `Step plugin ${PLUGIN} (step 3) returned an error; retried: boom`],
      ['point', 'failed', true, false, `Step plugin ${PLUGIN} (step 3) transitioned to Error`],
    ]);
  });

  it('returns the Events of an earlier update, whose statuses are gone, as points with their step and outcome', () => {
    const entries = pluginEntries({
      rollouts: [checkout([], { revision: 3, currentPodHash: 'ccc' })],
      replicaSets: [...REPLICA_SETS, replicaSet('checkout', 'ccc', 3, '11:00:00', 'shop/checkout:1.2')],
      events: [
        event('checkout', 'RolloutUpdated', 'Rollout updated to revision 2', '10:00:00'),
        transition(`Step plugin ${PLUGIN} (step 3) transitioned to Running`, '10:00:05'),
        transition(`Step plugin ${PLUGIN} (step 3) terminated (Successful)`, '10:00:30'),
        event('checkout', 'RolloutUpdated', 'Rollout updated to revision 3', '11:00:00'),
      ],
    });
    expect(entries.map((e) => [e.kind, e.revision, e.step?.index, e.outcome, e.chatter ?? false])).toEqual([
      ['point', 2, 3, 'inProgress', true],
      ['point', 2, 3, 'superseded', false],
    ]);
  });
});
