// Tests of the STAND-IN's plugin loading and settings (plugins.mjs). Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { effectivePluginSettings, loadPlugins, pluginListItem } from './plugins.mjs';

const APP = 'acme-thing-app';
const DS = 'acme-thing-datasource';

/** <plugins>/<APP>/dist/{plugin.json, datasource/plugin.json}: the layout create-plugin builds. */
function pluginsDir({ autoEnabled = false } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-'));
  const dist = path.join(root, APP, 'dist');
  fs.mkdirSync(path.join(dist, 'datasource'), { recursive: true });
  fs.writeFileSync(path.join(root, APP, 'plugin.json'), JSON.stringify({ id: 'ignored-source-app', type: 'app' }));
  fs.writeFileSync(
    path.join(dist, 'plugin.json'),
    JSON.stringify({ id: APP, type: 'app', name: 'Thing', autoEnabled, info: { version: '1.2.3' } })
  );
  fs.writeFileSync(
    path.join(dist, 'datasource/plugin.json'),
    JSON.stringify({ id: DS, type: 'datasource', name: 'Thing DS', routes: [{ path: 'api' }], info: {} })
  );
  return root;
}

test('mounts dist/ and nests the data source under the app', () => {
  const { plugins, errors } = loadPlugins(pluginsDir(), { allowUnsigned: [APP, DS] });
  assert.deepEqual(errors, []);
  assert.deepEqual([...plugins.keys()].sort(), [APP, DS]);
  const ds = plugins.get(DS);
  assert.equal(ds.parentId, APP);
  assert.equal(ds.module, `public/plugins/${APP}/datasource/module.js`);
  assert.equal(ds.json.info.version, '1.2.3');
  assert.deepEqual(ds.routes, [{ path: 'api' }]);
  assert.equal(pluginListItem(ds, { enabled: false, pinned: false }).includedInAppId, APP);
});

test('loads an unsigned plugin only when its id is allowed', () => {
  const onlyApp = loadPlugins(pluginsDir(), { allowUnsigned: [APP] });
  assert.deepEqual([...onlyApp.plugins.keys()], [APP]);
  assert.match(onlyApp.errors[0].error, /allow_loading_unsigned_plugins/);
  const onlyChild = loadPlugins(pluginsDir(), { allowUnsigned: [DS] });
  assert.equal(onlyChild.plugins.size, 0);
  assert.equal(loadPlugins(pluginsDir(), { developmentMode: true }).plugins.size, 2);
});

test('enables a nested data source only while its app is enabled', () => {
  const { plugins } = loadPlugins(pluginsDir(), { allowUnsigned: [APP, DS] });
  const notProvisioned = effectivePluginSettings(plugins, new Map());
  assert.equal(notProvisioned.get(APP).enabled, false);
  assert.equal(notProvisioned.get(DS).enabled, false);
  const enabled = effectivePluginSettings(plugins, new Map([[APP, { enabled: true, pinned: true }]]));
  assert.equal(enabled.get(DS).enabled, true);
  const auto = loadPlugins(pluginsDir({ autoEnabled: true }), { allowUnsigned: [APP, DS] });
  assert.equal(effectivePluginSettings(auto.plugins, new Map()).get(DS).enabled, true);
});
