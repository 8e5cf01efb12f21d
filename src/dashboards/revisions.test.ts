/**
 * @jest-environment node
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Grafana updates an app's bundled dashboard only when the file's `revision` differs from the imported one
 * (DashboardUpdater.syncPluginDashboards; a missing `revision` counts as 1). A dashboard changed without a raised
 * revision never reaches the Grafanas that imported it before, so every change of content needs a new revision.
 *
 * The content of each dashboard at each revision it had, as the SHA-256 of its JSON (parsed and written again, so
 * that formatting does not count). Changing a dashboard: raise its `revision` and add the hash the test prints.
 */
const CONTENT_AT_REVISION: Record<string, Record<number, string>> = {
  'overview.json': {
    1: '250df1f4b98dba0bf90526336ddefff091d07debd0ddbf6470dbaa6a527e7f03',
    2: 'ac04b84a27c63f6a24719d6b62f356a39dba1d9abdb0fe900642ab4db1075977',
  },
  'rollout-detail.json': {
    1: '0eb8344440512c79b565777fa529333745e39ec67910aa4824c17128888c0280',
    2: 'e87eef8aabafa16cb23328c219998ada05b5ef2a23151a4a7ba5e00e7c4e01dc',
  },
};

const pluginJson = JSON.parse(fs.readFileSync(path.join(__dirname, '../plugin.json'), 'utf8'));
const files: string[] = pluginJson.includes
  .filter((include: { type: string }) => include.type === 'dashboard')
  .map((include: { path: string }) => path.basename(include.path));

const contentHash = (dashboard: unknown) => crypto.createHash('sha256').update(JSON.stringify(dashboard)).digest('hex');

describe('revisions of the bundled dashboards', () => {
  it('cover every dashboard the app includes', () => {
    expect(Object.keys(CONTENT_AT_REVISION).sort()).toEqual([...files].sort());
  });

  it.each(files)('%s: its content is the one recorded for its revision, the newest recorded', (file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
    const revision = dashboard.revision;
    expect(Number.isInteger(revision) && revision >= 1).toBe(true);
    const recorded = CONTENT_AT_REVISION[file];
    const hash = contentHash(dashboard);
    const known = Object.entries(recorded).find(([, h]) => h === hash)?.[0];
    // Same content as an older revision, or new content under a revision that already had other content.
    expect({ file, revision, hash, recordedAs: known ?? 'nothing yet' }).toEqual({
      file,
      revision,
      hash: recorded[revision] ?? 'a new revision: record this hash for it',
      recordedAs: String(revision),
    });
    expect(revision).toBe(Math.max(...Object.keys(recorded).map(Number)));
  });
});
