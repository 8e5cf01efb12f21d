// Tests of the STAND-IN's import of an app's bundled dashboards (dashboards.mjs), one per rule of Grafana's
// pkg/services/plugindashboards/service. Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  DashboardStore,
  deletePluginDashboards,
  listPluginDashboards,
  revisionOf,
  slugify,
  syncPluginDashboards,
} from './dashboards.mjs';

/** An app plugin whose `includes` name the given dashboard files. */
function app(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-'));
  fs.mkdirSync(path.join(dir, 'dashboards'));
  const write = (name, json) => fs.writeFileSync(path.join(dir, 'dashboards', name), JSON.stringify(json));
  Object.entries(files).forEach(([name, json]) => write(name, json));
  const includes = Object.keys(files).map((name) => ({ type: 'dashboard', path: `dashboards/${name}` }));
  return { plugin: { id: 'acme-app', type: 'app', dir, json: { includes: [...includes, { type: 'page' }] } }, write };
}

test('Service.ListPluginDashboards: a missing revision counts as 1, a dashboard never imported has 0', () => {
  assert.equal(revisionOf({}), 1);
  assert.equal(revisionOf({ revision: 4 }), 4);
  assert.equal(revisionOf({ revision: '4' }), 1);
  const { plugin } = app({ 'a.json': { uid: 'a', title: 'A board' }, 'b.json': { uid: 'b', title: 'B', revision: 3 } });
  const items = listPluginDashboards(plugin, new DashboardStore());
  assert.deepEqual(
    items.map((i) => [i.uid, i.path, i.revision, i.imported, i.importedRevision]),
    [
      ['a', 'dashboards/a.json', 1, false, 0],
      ['b', 'dashboards/b.json', 3, false, 0],
    ]
  );
});

test('DashboardUpdater.syncPluginDashboards imports with overwrite only what has another revision', () => {
  const { plugin, write } = app({ 'a.json': { uid: 'a', title: 'A board', revision: 1, panels: [] } });
  const store = new DashboardStore();
  assert.deepEqual(syncPluginDashboards(plugin, store).imported, ['a@1']);
  assert.equal(store.dto('a').dashboard.version, 1);
  assert.equal(store.dto('a').meta.slug, 'a-board');

  // New content under the same revision never reaches an installation that imported it.
  write('a.json', { uid: 'a', title: 'A board', revision: 1, panels: [{ id: 1 }] });
  assert.deepEqual(syncPluginDashboards(plugin, store), { imported: [], deleted: [], unchanged: ['a'] });
  assert.deepEqual(store.dto('a').dashboard.panels, []);

  write('a.json', { uid: 'a', title: 'A board', revision: 2, panels: [{ id: 1 }] });
  assert.deepEqual(syncPluginDashboards(plugin, store).imported, ['a@2']);
  assert.deepEqual(store.dto('a').dashboard, {
    uid: 'a',
    title: 'A board',
    revision: 2,
    panels: [{ id: 1 }],
    id: 1,
    version: 2,
  });
});

test('ListPluginDashboards matches imported dashboards by slug and lists the others of the app as removed', () => {
  const { plugin } = app({ 'a.json': { uid: 'a', title: 'A board' } });
  const store = new DashboardStore();
  store.import({ uid: 'old', title: 'Gone board' }, plugin.id);
  store.import({ uid: 'other', title: 'Not ours' }, 'another-app');
  const items = listPluginDashboards(plugin, store);
  assert.deepEqual(
    items.map((i) => [i.uid, i.removed]),
    [
      ['a', false],
      ['old', true],
    ]
  );
  assert.deepEqual(syncPluginDashboards(plugin, store).deleted, ['old']);
  assert.equal(store.dto('old'), undefined);
  assert.ok(store.dto('other'));
});

test('handlePluginStateChanged: disabling the app deletes every dashboard it imported', () => {
  const { plugin } = app({ 'a.json': { uid: 'a', title: 'A' }, 'b.json': { uid: 'b', title: 'B' } });
  const store = new DashboardStore();
  syncPluginDashboards(plugin, store);
  assert.deepEqual(deletePluginDashboards(plugin.id, store), ['a', 'b']);
  assert.deepEqual(store.ofPlugin(plugin.id), []);
});

test('slugs titles like Grafana', () => {
  assert.equal(slugify('Argo Rollouts overview'), 'argo-rollouts-overview');
  assert.equal(slugify('  Rollout detail! (v2) '), 'rollout-detail-v2');
});
