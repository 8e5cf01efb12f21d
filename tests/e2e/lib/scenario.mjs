// Runs one scenario in its own namespace: fresh namespace, event watch, the scenario body, what it observed (for the
// oracle, tests/e2e/lib/observations.mjs), then (optionally) the fixture recording. Details of the check include the
// observed event reasons and the final status.
import { EventLog } from './events.mjs';
import { writeObservations } from './observations.mjs';
import { recordScenario } from './recorder.mjs';
import { freshNamespace } from './rollouts.mjs';

/**
 * @param {object} ctx  {admin, runDir, recordDir?, components, metrics}
 * @param {string} name scenario name (check id `scenario/<name>`, namespace `e2e-<name>`)
 * @param {(s: {client, ns, events, metrics, details}) => Promise<void>} body
 */
export async function runScenario(ctx, name, body) {
  const client = ctx.admin;
  const ns = `e2e-${name}`;
  await freshNamespace(client, ns, name);
  const events = await new EventLog(client, ns).start();
  const details = { namespace: ns };
  try {
    await body({ client, ns, events, metrics: ctx.metrics, details });
    if (events.error) {
      throw events.error;
    }
    details.observations = await writeObservations(client, {
      runDir: ctx.runDir,
      scenario: name,
      namespace: ns,
      eventLog: events,
    });
    if (ctx.recordDir) {
      const rec = await recordScenario(client, {
        dir: ctx.recordDir,
        scenario: name,
        namespace: ns,
        components: ctx.components,
        eventLog: events,
      });
      details.recorded = rec.files;
    }
    return details;
  } catch (err) {
    err.details = {
      ...details,
      ...(err.details ?? {}),
      events: events.occurrences.map((o) => `${o.kind}/${o.name} ${o.reason}: ${o.message}`),
    };
    throw err;
  } finally {
    events.stop();
  }
}
