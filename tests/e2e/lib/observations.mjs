// What a scenario driver observed, for the oracle (tests/e2e/oracle/): every Event of its namespace as its watch last
// saw it (with the API server's timestamps), and, read with the admin identity once the scenario ended and its Events
// settled, its Rollouts, ReplicaSets, AnalysisRuns and Experiments. Written to <run dir>/observations/<scenario>.json;
// the plugin's real-stack checks compare what the plugin shows with what the oracle derives from it.
import fs from 'node:fs';
import path from 'node:path';

import { paths } from './kube.mjs';

export const observationsFile = (runDir, scenario) => path.join(runDir, 'observations', `${scenario}.json`);

/** An object without what the API server adds for its own bookkeeping. */
function trimmed(object) {
  const { managedFields, resourceVersion, selfLink, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}

/**
 * @param {import('./kube.mjs').KubeClient} client  the admin identity
 * @param {{runDir: string, scenario: string, namespace: string, eventLog: import('./events.mjs').EventLog}} opts
 */
export async function writeObservations(client, { runDir, scenario, namespace, eventLog }) {
  await eventLog.settle();
  const [rollouts, replicaSets, analysisRuns, experiments] = await Promise.all(
    [paths.rollouts, paths.replicasets, paths.analysisruns, paths.experiments].map(async (pathOf) =>
      (await client.get(pathOf(namespace))).items.map(trimmed)
    )
  );
  const observations = {
    scenario,
    namespace,
    observedAt: new Date().toISOString(),
    events: eventLog.events(),
    rollouts,
    replicaSets,
    analysisRuns,
    experiments,
  };
  const file = observationsFile(runDir, scenario);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(observations, null, 2) + '\n');
  return file;
}
