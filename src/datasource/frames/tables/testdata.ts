/**
 * Test helper: reads the kubectl-argo-rollouts `info` testdata objects (real objects from 2019-2020 clusters)
 * from the shared fixtures next to the repository. Only imported by tests.
 */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

export const INFO_TESTDATA = path.resolve(
  REPO_ROOT,
  '../shared/fixtures/argo-rollouts/pkg/kubectl-argo-rollouts/info/testdata'
);

/** Directory of objects recorded from a real controller, when present. */
export const RECORDED_FIXTURES = path.resolve(REPO_ROOT, 'tests/fixtures/recorded');

/** One object from `<scenario>/<file>.yaml`, typed by the caller. */
export function loadInfoObject<T>(relativePath: string): T {
  return parse(fs.readFileSync(path.join(INFO_TESTDATA, relativePath), 'utf8')) as T;
}

export interface RecordedScenario {
  name: string;
  /** Items of `<kind>.json` (a Kubernetes List), or [] when the file is missing. */
  items<T>(kind: 'events' | 'rollouts' | 'replicasets' | 'analysisruns' | 'experiments'): T[];
}

/** Scenarios recorded from a real controller under tests/fixtures/recorded, if any have been recorded. */
export function recordedScenarios(): RecordedScenario[] {
  if (!fs.existsSync(RECORDED_FIXTURES)) {
    return [];
  }
  return fs
    .readdirSync(RECORDED_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(RECORDED_FIXTURES, entry.name, 'rollouts.json')))
    .map((entry) => ({
      name: entry.name,
      items<T>(kind: string): T[] {
        const file = path.join(RECORDED_FIXTURES, entry.name, `${kind}.json`);
        return fs.existsSync(file) ? ((JSON.parse(fs.readFileSync(file, 'utf8')).items ?? []) as T[]) : [];
      },
    }));
}
