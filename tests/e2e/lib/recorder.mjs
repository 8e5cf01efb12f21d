// Saves what the API returns for a scenario's namespace (List JSON, managedFields stripped) as fixtures:
//   <dir>/<scenario>/{events,events.k8s.io,rollouts,replicasets,analysisruns,experiments}.json,
//   event-sequence.json (every occurrence in write order, from the watch), versions.json, and
//   managed-fields.json: the managedFields of one object of each kind, which the benchmark puts back on the
//   objects it generates (the API server sends them in every list; the fixtures leave them out as noise).
import fs from 'node:fs';
import path from 'node:path';
import { paths } from './kube.mjs';

const KINDS = {
  events: paths.events,
  'events.k8s.io': paths.eventsV1,
  rollouts: paths.rollouts,
  replicasets: paths.replicasets,
  analysisruns: paths.analysisruns,
  experiments: paths.experiments,
};

function strip(list) {
  for (const item of list.items ?? []) {
    delete item.metadata?.managedFields;
  }
  return list;
}

/** The managedFields of the first object of a list (for Events: of the first one on an Argo Rollouts object). */
function firstManagedFields(file, list) {
  const item = (list.items ?? []).find(
    (o) => file !== 'events' || (o.involvedObject?.apiVersion ?? '').startsWith('argoproj.io/')
  );
  return item?.metadata?.managedFields;
}

/**
 * @param {import('./kube.mjs').KubeClient} client
 * @param {{dir: string, scenario: string, namespace: string, components: Array<{name:string,version:string}>,
 *          eventLog?: import('./events.mjs').EventLog}} opts
 */
export async function recordScenario(client, { dir, scenario, namespace, components, eventLog }) {
  const out = path.join(dir, scenario);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const written = [];
  const managedFields = {};
  for (const [file, pathOf] of Object.entries(KINDS)) {
    const list = await client.get(pathOf(namespace));
    const fields = firstManagedFields(file, list);
    if (fields && file !== 'events.k8s.io') {
      managedFields[file] = fields;
    }
    strip(list);
    fs.writeFileSync(path.join(out, `${file}.json`), JSON.stringify(list, null, 2) + '\n');
    written.push(`${file}.json (${list.items.length})`);
  }
  if (eventLog) {
    const sequence = eventLog.occurrences.map(({ at, ...o }) => o);
    fs.writeFileSync(path.join(out, 'event-sequence.json'), JSON.stringify(sequence, null, 2) + '\n');
  }
  const versions = {
    recordedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    scenario,
    namespace,
    components,
  };
  fs.writeFileSync(path.join(out, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
  fs.writeFileSync(path.join(out, 'managed-fields.json'), JSON.stringify(managedFields, null, 2) + '\n');
  return { dir: out, files: written };
}
