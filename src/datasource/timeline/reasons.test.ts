import fc from 'fast-check';
import { analysisInMessage, classifyReason, revisionInMessage, stepInMessage, stepPluginTransitionIn } from './reasons';

describe('classifyReason', () => {
  it.each([
    ['RolloutCompleted', 'Normal', 'lifecycle', 'succeeded'],
    ['RolloutAborted', 'Warning', 'lifecycle', 'aborted'],
    ['SkipSteps', 'Normal', 'lifecycle', 'rolledBack'],
    ['RolloutStepCompleted', 'Normal', 'steps', undefined],
    ['AnalysisRunFailed', 'Warning', 'analysis', 'failed'],
    ['AnalysisRunInconclusive', 'Normal', 'analysis', 'unknown'],
    ['MetricSuccessful', 'Normal', 'analysis', 'succeeded'],
    ['ExperimentRunning', 'Normal', 'steps', 'inProgress'],
    ['TemplateFailed', 'Warning', 'steps', 'failed'],
    ['Updated VirtualService', 'Normal', 'traffic', undefined],
    ['TrafficWeightUpdated', 'Normal', 'traffic', undefined],
    ['TrafficRoutingError', 'Warning', 'errors', 'failed'],
    ['TrafficSplitNotCreated', 'Normal', 'errors', 'failed'],
    ['NewFutureReason', 'Warning', 'errors', undefined],
    ['NewFutureReason', 'Normal', 'lifecycle', undefined],
    ['toString', 'Normal', 'lifecycle', undefined],
    ['constructor', 'Warning', 'errors', undefined],
  ])('classifies %s (%s) as %s with outcome %s', (reason, type, category, outcome) => {
    const info = classifyReason(reason, type, '');
    expect([info.category, info.outcome ?? null]).toEqual([category, outcome ?? null]);
  });

  it('reads the phase of a step plugin transition', () => {
    expect(classifyReason('StepPluginTransition', 'Normal', 'Step plugin p (step 1) transitioned to Running')).toEqual({
      category: 'steps',
      outcome: 'inProgress',
      significant: false,
    });
    expect(
      classifyReason('StepPluginTransition', 'Warning', 'Step plugin p (step 1) transitioned to Failed')
    ).toMatchObject({ outcome: 'failed', significant: true });
    expect(
      classifyReason('StepPluginTransition', 'Normal', 'Step plugin p (step 1) aborted (rollout aborted)')
    ).toMatchObject({ significant: true });
  });

  it.each([
    ['Normal', 'Step plugin step/e2e-test (step 3) transitioned to Running', 'inProgress', false],
    ['Warning', 'Step plugin step/e2e-test (step 3) transitioned to Error', 'failed', true],
    ['Normal', 'Step plugin step/e2e-test (step 2) aborted (Successful)', 'aborted', true],
    ['Warning', 'Step plugin step/e2e-test (step 2) aborted (Error)', 'failed', true],
    ['Normal', 'Step plugin step/e2e-test (step 3) terminated (Successful)', 'superseded', true],
  ])('gives the step plugin transition %s "%s" the outcome %s', (type, message, outcome, significant) => {
    expect(classifyReason('StepPluginTransition', type, message)).toEqual({ category: 'steps', outcome, significant });
  });
});

describe('stepPluginTransitionIn', () => {
  it.each([
    ['Step plugin step/e2e-test (step 3) transitioned to Running', 'Run', 'Running'],
    ['Step plugin step/e2e-test (step 3) aborted (Successful)', 'Abort', 'Successful'],
    ['Step plugin step/e2e-test (step 3) terminated (Failed)', 'Terminate', 'Failed'],
  ])('reads "%s" as operation %s, phase %s', (message, operation, phase) => {
    expect(stepPluginTransitionIn(message)).toEqual({ name: 'step/e2e-test', step: 3, operation, phase });
  });

  it('reads a plugin name with spaces and parentheses, and nothing from other messages', () => {
    expect(stepPluginTransitionIn('Step plugin a (b) c (step 12) transitioned to Failed')).toEqual({
      name: 'a (b) c',
      step: 12,
      operation: 'Run',
      phase: 'Failed',
    });
    expect(stepPluginTransitionIn('Rollout step 2/3 completed (plugin: p)')).toBeUndefined();
    expect(stepPluginTransitionIn('Step plugin p (step x) transitioned to Failed')).toBeUndefined();
  });
});

describe('the significant detail level', () => {
  it.each([
    // Lifecycle changes, step results, analysis and experiment results, errors.
    ['RolloutUpdated', true],
    ['RolloutCompleted', true],
    ['RolloutAborted', true],
    ['SkipSteps', true],
    ['RolloutDeleted', true],
    ['RolloutStepCompleted', true],
    ['AnalysisRunSuccessful', true],
    ['AnalysisRunFailed', true],
    ['AnalysisRunError', true],
    ['AnalysisRunInconclusive', true],
    ['MetricFailed', true],
    ['ExperimentSuccessful', true],
    ['ExperimentFailed', true],
    ['TemplateFailed', true],
    ['ReplicaSetCreateError', true],
    ['TrafficRoutingError', true],
    ['ReconciliationError', true],
    ['NewFutureReason', true],
    // The controller's bookkeeping, scaling, the traffic router, and Events a span already shows.
    ['RolloutAddedToInformer', false],
    ['NewReplicaSetCreated', false],
    ['RolloutNotCompleted', false],
    ['ScalingReplicaSet', false],
    ['TrafficWeightUpdated', false],
    ['SwitchService', false],
    ['Updated VirtualService', false],
    ['RolloutPaused', false],
    ['RolloutResumed', false],
    ['ExperimentCreated', false],
    ['AnalysisRunTerminating', false],
    ['AnalysisRunRunning', false],
    ['AnalysisRunPending', false],
    ['ExperimentPending', false],
    ['ExperimentRunning', false],
    ['TemplateRunning', false],
    ['TemplateSuccessful', false],
  ])('%s is significant: %s', (reason, significant) => {
    expect(classifyReason(reason, 'Normal', '').significant).toBe(significant);
  });
});

describe('message parsers', () => {
  it('reads the revision of the controller messages that name one', () => {
    expect(revisionInMessage('Scaled up ReplicaSet web-5d9 (revision 12) from 0 to 1')).toBe(12);
    expect(revisionInMessage('Rollout completed update to revision 3 (5d9): Initial deploy')).toBe(3);
    expect(revisionInMessage('Rollout is resumed')).toBeUndefined();
  });

  it('finds the revision where /\\brevision (\\d{1,9})\\b/ does', () => {
    const byRegExp = (message: string) => {
      const match = /\brevision (\d{1,9})\b/.exec(message);
      return match ? Number(match[1]) : undefined;
    };
    const piece = fc.constantFrom(
      'revision ',
      'revision',
      'Revision ',
      ' ',
      'x',
      '_',
      '-',
      '(',
      ')',
      '0',
      '7',
      '12',
      '1234567890',
      'é'
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const message = pieces.join('');
        expect(revisionInMessage(message)).toBe(byRegExp(message));
      }),
      { numRuns: 5000 }
    );
    for (const message of [
      'revision 123456789',
      'revision 1234567890',
      'a revision 5b, revision 6.',
      'xrevision 3',
      'revision 007',
    ]) {
      expect(revisionInMessage(message)).toBe(byRegExp(message));
    }
  });

  it('reads step number, total and weight', () => {
    expect(stepInMessage('Rollout step 3/5 completed (setWeight: 40)')).toEqual({
      index: 3,
      total: 5,
      weight: 40,
      description: 'setWeight: 40',
    });
    expect(stepInMessage('Rollout step 2/5 completed (pause: 30s)')?.weight).toBeUndefined();
    expect(stepInMessage('Rollout step ?/5 completed')).toBeUndefined();
  });

  it('reads the run, type and phases of a Rollout analysis event and of one forwarded from an Experiment', () => {
    expect(analysisInMessage("Background Analysis Run 'web-5d9-3' Status New: 'Failed' Previous: 'Running'")).toEqual({
      type: 'Background',
      name: 'web-5d9-3',
      phase: 'Failed',
      previousPhase: 'Running',
    });
    expect(analysisInMessage("AnalysisRun 'stress' transitioned from Running -> Failed: Metric failed")).toEqual({
      type: 'Experiment',
      name: 'stress',
      previousPhase: 'Running',
      phase: 'Failed',
      detail: 'Metric failed',
    });
    expect(analysisInMessage("Metric 'latency' Completed. Result: Inconclusive")).toEqual({
      metric: 'latency',
      phase: 'Inconclusive',
    });
  });
});
