import { readFileSync, readdirSync, existsSync } from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import type { TimelineInput } from '../types';

/** The kubectl plugin's real object dumps, in the shared reference folder beside the repository. */
export const SHARED_TESTDATA = path.resolve(
  __dirname,
  '../../../../../shared/fixtures/argo-rollouts/pkg/kubectl-argo-rollouts/info/testdata'
);

/** Recorded real controller output, one folder per scenario, when the test bed has produced it. */
export const RECORDED_FIXTURES = path.resolve(__dirname, '../../../../tests/fixtures/recorded');

type Lists = Pick<TimelineInput, 'events' | 'rollouts' | 'replicaSets' | 'analysisRuns' | 'experiments'>;

function emptyLists(): { [K in keyof Lists]: unknown[] } {
  return { events: [], rollouts: [], replicaSets: [], analysisRuns: [], experiments: [] };
}

const LIST_BY_KIND: Record<string, keyof Lists> = {
  Event: 'events',
  Rollout: 'rollouts',
  ReplicaSet: 'replicaSets',
  AnalysisRun: 'analysisRuns',
  Experiment: 'experiments',
};

function add(lists: { [K in keyof Lists]: unknown[] }, obj: unknown) {
  if (typeof obj !== 'object' || obj === null) {
    return;
  }
  const record = obj as { kind?: string; items?: unknown[] };
  if (Array.isArray(record.items)) {
    for (const item of record.items) {
      add(lists, item);
    }
    return;
  }
  const list = record.kind ? LIST_BY_KIND[record.kind] : undefined;
  if (list) {
    lists[list].push(obj);
  }
}

/** Every object of the listed kinds in a folder of YAML or JSON files (single objects or `List`s). */
export function loadFolder(folder: string): Lists {
  const lists = emptyLists();
  for (const file of readdirSync(folder).sort()) {
    const text = readFileSync(path.join(folder, file), 'utf8');
    if (file.endsWith('.json')) {
      add(lists, JSON.parse(text));
    } else if (file.endsWith('.yaml') || file.endsWith('.yml')) {
      for (const doc of parseAllDocuments(text)) {
        add(lists, doc.toJS());
      }
    }
  }
  return lists as unknown as Lists;
}

export function sharedScenario(name: string): Lists {
  return loadFolder(path.join(SHARED_TESTDATA, name));
}

export function recordedScenarios(): string[] {
  return existsSync(RECORDED_FIXTURES)
    ? readdirSync(RECORDED_FIXTURES).filter((d) => existsSync(path.join(RECORDED_FIXTURES, d, 'versions.json')))
    : [];
}
