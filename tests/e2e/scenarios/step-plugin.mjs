// Canary updates with plugin steps, run by Argo Rollouts' own e2e step plugin, which tests/testbed/start.sh registers
// in the controller's ConfigMap as `step/e2e-test` (each step's `config.return` says which phase the plugin returns).
// Two Rollouts, each within the event recorder's burst of 25 Events of one type per object:
// - step-plugin: setWeight 50, a plugin step that succeeds, and one that keeps running until the update is fully
//   promoted (`kubectl argo rollouts promote --full`), which makes the controller terminate it;
// - step-plugin-failure: setWeight 50, a plugin step that succeeds, and one that fails: the controller aborts the
//   update and calls the plugin's abort for the step that had succeeded.
import { INITIAL_DEPLOY_REASONS } from '../lib/events.mjs';
import { paths } from '../lib/kube.mjs';
import { expect } from '../lib/report.mjs';
import { getRollout, isHealthy, promoteFull, rolloutManifest, setImage, waitForRollout } from '../lib/rollouts.mjs';
import { runScenario } from '../lib/scenario.mjs';
import { waitFor } from '../lib/wait.mjs';

export const name = 'step-plugin';

/** The plugin's name in the controller's ConfigMap (tests/testbed/start.sh). */
export const STEP_PLUGIN = 'step/e2e-test';

const pluginStep = (config) => ({ plugin: { name: STEP_PLUGIN, config } });

/** The Rollout's Events up to its third step's transition: deploy, update, steps 1 and 2 completed. */
const THROUGH_THE_PLUGIN_STEPS = [
  ...INITIAL_DEPLOY_REASONS,
  'RolloutUpdated',
  'RolloutStepCompleted',
  'RolloutStepCompleted',
  'StepPluginTransition',
];

/** The step plugin statuses of a Rollout, one line each: `index operation phase`. */
const pluginStatuses = (ro) =>
  (ro.status?.canary?.stepPluginStatuses ?? []).map((s) => `${s.index} ${s.operation} ${s.phase}`);

/** The messages of the StepPluginTransition Events of a Rollout, in the order they were written. */
const transitions = (events, ro) =>
  events
    .about('Rollout', ro)
    .filter((o) => o.reason === 'StepPluginTransition')
    .map((o) => `${o.type}: ${o.message}`);

/** Asserts the Rollout's step plugin statuses, exactly. */
async function expectStatuses(client, ns, ro, expected, what, details) {
  const statuses = pluginStatuses(await getRollout(client, ns, ro));
  details[ro].stepPluginStatuses = statuses;
  expect(JSON.stringify(statuses) === JSON.stringify(expected), `${ro}: step plugin statuses: ${what}`, details);
}

/** Waits (bounded) for the Rollout's StepPluginTransition Events and asserts them, exactly and in order. */
async function expectTransitions(events, ro, expected, what, details) {
  await waitFor(
    `${ro}: ${expected.length} StepPluginTransition Events`,
    async () => transitions(events, ro).length >= expected.length,
    { timeoutMs: 15000 }
  );
  const seen = transitions(events, ro);
  Object.assign(details[ro], { events: events.describe('Rollout', ro), transitions: seen });
  expect(JSON.stringify(seen) === JSON.stringify(expected), `${ro}: ${what}`, details);
}

async function createRollout(client, ns, ro, steps, details) {
  await client.create(
    paths.rollouts(ns),
    rolloutManifest({ name: ro, replicas: 2, image: 'example.test/app:1.0', strategy: { canary: { steps } } })
  );
  await waitForRollout(client, ns, ro, 'healthy after initial deploy', isHealthy);
  details[ro] = {};
}

/** Succeeds, then keeps running until the update is fully promoted: terminated. */
async function promotedWhileRunning(client, ns, events, details) {
  const ro = 'step-plugin';
  const steps = [
    { setWeight: 50 },
    pluginStep({ return: 'Successful' }),
    // Asked again after a minute at the earliest: the controller's requeue floor is 10 s, its default 30 s.
    pluginStep({ return: 'Running', requeue: '1m' }),
  ];
  await createRollout(client, ns, ro, steps, details);
  await setImage(client, ns, ro, 'example.test/app:2.0');
  let running;
  await waitFor("the third step's plugin running", async () => {
    const current = await getRollout(client, ns, ro);
    running = current.status?.canary?.stepPluginStatuses?.find(
      (s) => s.index === 2 && s.operation === 'Run' && s.phase === 'Running'
    );
    return current.status?.currentStepIndex === 2 && running !== undefined;
  });
  // The plugin runs for at least two whole seconds of the API server's clock before it is terminated.
  const startedAt = Date.parse(running.startedAt);
  await waitFor('two seconds of the plugin running', async () => Date.now() >= startedAt + 3000);
  await promoteFull(client, ns, ro);
  const final = await waitForRollout(
    client,
    ns,
    ro,
    'healthy after full promotion',
    (s) => isHealthy(s) && s.revision === '2'
  );
  details[ro].finalStatus = final;
  await expectStatuses(
    client,
    ns,
    ro,
    ['1 Run Successful', '2 Run Running', '2 Terminate Successful'],
    'step 2 succeeded, step 3 still running when it was terminated',
    details
  );
  details[ro].eventReasons = await events.waitForReasons(
    'Rollout',
    ro,
    [...THROUGH_THE_PLUGIN_STEPS, 'StepPluginTransition', 'RolloutCompleted'],
    `${ro} events`
  );
  await expectTransitions(
    events,
    ro,
    [
      `Normal: Step plugin ${STEP_PLUGIN} (step 3) transitioned to Running`,
      `Normal: Step plugin ${STEP_PLUGIN} (step 3) terminated (Successful)`,
    ],
    'a successful Run records no StepPluginTransition (RolloutStepCompleted instead); Running and the termination do',
    details
  );
  const completed = events.about('Rollout', ro).filter((o) => o.reason === 'RolloutStepCompleted');
  expect(
    completed.some((o) => o.message === `Rollout step 2/3 completed (plugin: ${STEP_PLUGIN})`),
    'the plugin step completed',
    { completed: completed.map((o) => o.message) }
  );
}

/** Succeeds, then fails: the update is aborted and the successful step's plugin is asked to abort. */
async function failed(client, ns, events, details) {
  const ro = 'step-plugin-failure';
  const steps = [{ setWeight: 50 }, pluginStep({ return: 'Successful' }), pluginStep({ return: 'Failed' })];
  await createRollout(client, ns, ro, steps, details);
  await setImage(client, ns, ro, 'example.test/app:2.0');
  // The controller aborts the plugin steps in the reconcile after the abort.
  const final = await waitForRollout(
    client,
    ns,
    ro,
    'degraded after the plugin failed, its steps aborted',
    (s, rollout) => s.phase === 'Degraded' && s.abort && pluginStatuses(rollout).some((x) => x.includes(' Abort '))
  );
  details[ro].finalStatus = final;
  await expectStatuses(
    client,
    ns,
    ro,
    ['1 Run Successful', '2 Run Failed', '1 Abort Successful'],
    'step 2 succeeded, step 3 failed, step 2 aborted',
    details
  );
  expect(
    final.conditions.Progressing === 'False/RolloutAborted' &&
      final.message === `RolloutAborted: Rollout aborted update to revision 2: Step Plugin 3 (${STEP_PLUGIN}) failed: `,
    'the abort names the failed plugin step',
    details
  );
  details[ro].eventReasons = await events.waitForReasons(
    'Rollout',
    ro,
    [...THROUGH_THE_PLUGIN_STEPS, 'RolloutAborted'],
    `${ro} events`
  );
  // The abort of step 2's plugin is recorded after (or in the same reconcile as) the abort.
  await expectTransitions(
    events,
    ro,
    [
      `Warning: Step plugin ${STEP_PLUGIN} (step 3) transitioned to Failed`,
      `Normal: Step plugin ${STEP_PLUGIN} (step 2) aborted (Successful)`,
    ],
    'the failure is a Warning, the abort of step 2 is recorded',
    details
  );
}

export function run(ctx) {
  return runScenario(ctx, name, async ({ client, ns, events, details }) => {
    await Promise.all([promotedWhileRunning(client, ns, events, details), failed(client, ns, events, details)]);
  });
}
