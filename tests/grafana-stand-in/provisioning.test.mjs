// Tests of the STAND-IN's provisioning reader (provisioning.mjs). Run: node --test tests/grafana-stand-in/
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  goExpandEnv,
  interpolateValue,
  ProvisioningError,
  readAppProvisioning,
  readDataSourceProvisioning,
} from './provisioning.mjs';

const env = { TOKEN: 'tok', URL: 'https://k8s:6443' };

test('expands $VAR and ${VAR} like os.ExpandEnv', () => {
  assert.equal(goExpandEnv('Bearer $TOKEN', env), 'Bearer tok');
  assert.equal(goExpandEnv('${URL}/x', env), 'https://k8s:6443/x');
  assert.equal(goExpandEnv('$UNSET-x', env), '-x');
  assert.equal(goExpandEnv('cost $ 5', env), 'cost $ 5');
  assert.equal(goExpandEnv('${}', env), '');
});

test('expands $__env{} and $__file{} (trimmed), and $$ is a literal dollar', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-'));
  const file = path.join(dir, 'token');
  fs.writeFileSync(file, '  secret$1\n');
  // Grafana runs os.ExpandEnv after the file expander, so a `$` in the file is expanded too ($1 → "").
  assert.equal(interpolateValue(`$__file{${file}}`, env), 'secret');
  assert.equal(interpolateValue('$__env{TOKEN}', env), 'tok');
  assert.equal(interpolateValue('a$$TOKEN', env), 'a$TOKEN');
  assert.equal(interpolateValue('${TOKEN:-fallback}', env), '');
  assert.throws(() => interpolateValue(`$__file{${dir}/missing}`, env), ProvisioningError);
});

function provisioningDir(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('reads apps with enabled = !disabled and data sources with expanded values only', () => {
  const dir = provisioningDir({
    'plugins/apps.yaml': 'apiVersion: 1\napps:\n  - type: my-app\n    org_id: 1\n    disabled: false\n',
    'datasources/ds.yaml': [
      'apiVersion: 1',
      'datasources:',
      '  - name: DS',
      '    type: my-datasource',
      '    uid: u1',
      '    jsonData:',
      '      apiServerUrl: $URL',
      '      $URL: key-not-expanded',
      '    secureJsonData:',
      '      token: $__env{TOKEN}',
    ].join('\n'),
  });
  const [app] = readAppProvisioning(dir, env);
  assert.deepEqual([app.pluginId, app.enabled, app.orgId], ['my-app', true, 1]);
  const { dataSources } = readDataSourceProvisioning(dir, env);
  assert.equal(dataSources[0].jsonData.apiServerUrl, 'https://k8s:6443');
  assert.equal(dataSources[0].jsonData.$URL, 'key-not-expanded');
  assert.equal(dataSources[0].secureJsonData.token, 'tok');
  assert.equal(dataSources[0].access, 'proxy');
  assert.equal(dataSources[0].readOnly, true);
});

test('refuses two default data sources in one organisation', () => {
  const ds = (name) => `  - {name: ${name}, type: t, isDefault: true}\n`;
  const dir = provisioningDir({ 'datasources/a.yaml': `apiVersion: 1\ndatasources:\n${ds('A')}${ds('B')}` });
  assert.throws(() => readDataSourceProvisioning(dir, env), /Only one datasource per organization/);
});
