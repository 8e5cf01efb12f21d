// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for Grafana's provisioning of
// app settings and data sources (../shared/reference/grafana-plugin.md §4.1, §4.2):
//   - <dir>/plugins/*.yaml  `apps: [{type, org_id, disabled, jsonData, secureJsonData}]`
//   - <dir>/datasources/*.yaml  `deleteDatasources`, `datasources: [{name, type, access, uid, url, isDefault,
//     editable, orgId, jsonData, secureJsonData, ...}]`
// Values (never keys) are expanded like pkg/services/provisioning/values: the string is split at `$$` (a literal
// `$`), each part goes through the `$__env{VAR}` / `${VAR}` and `$__file{path}` expanders (file contents with
// surrounding whitespace trimmed; a missing file is an error), then through Go's os.ExpandEnv (`$VAR`, `${VAR}`;
// `${VAR:-default}` is NOT supported by Grafana and expands to the empty string here as well).
import fs from 'node:fs';
import path from 'node:path';

import YAML from 'yaml';

const EXPANDER = /\$(|__\w+)\{([^}]+)\}/g;

export class ProvisioningError extends Error {}

/** Go's os.Expand name scanning (shell special characters, `${...}`, alphanumerics and `_`). */
function shellName(s) {
  const special = (c) => '*#$@!?-'.includes(c) || (c >= '0' && c <= '9');
  if (s[0] === '{') {
    if (s.length > 2 && special(s[1]) && s[2] === '}') {
      return [s.slice(1, 2), 3];
    }
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') {
        return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
      }
    }
    return ['', 1];
  }
  if (special(s[0])) {
    return [s[0], 1];
  }
  let i = 0;
  while (i < s.length && /[A-Za-z0-9_]/.test(s[i])) {
    i++;
  }
  return [s.slice(0, i), i];
}

/** Go's os.ExpandEnv. */
export function goExpandEnv(s, env = process.env) {
  let out = '';
  let last = 0;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      out += s.slice(last, j);
      const [name, width] = shellName(s.slice(j + 1));
      if (name === '' && width > 0) {
        // invalid syntax: Go eats the characters
      } else if (name === '') {
        out += '$';
      } else {
        out += env[name] ?? '';
      }
      j += width;
      last = j + 1;
    }
  }
  return out + s.slice(last);
}

/** Grafana's setting.ExpandVar: env expander (`${X}`, `$__env{X}`) first, then the file expander. */
function expandVar(s, env) {
  let result = s;
  for (const expander of ['env', 'file']) {
    for (const match of [...result.matchAll(EXPANDER)]) {
      const [whole, prefix, arg] = match;
      if (expander === 'env' && (prefix === '' || prefix === '__env')) {
        result = result.replace(whole, () => env[arg] ?? '');
      } else if (expander === 'file' && prefix === '__file') {
        let content;
        try {
          content = fs.readFileSync(arg, 'utf8');
        } catch (error) {
          throw new ProvisioningError(`got error while expanding expander file: ${error.message}`);
        }
        result = result.replace(whole, () => content.trim());
      }
    }
  }
  return result;
}

/** Expands one provisioning value (pkg/services/provisioning/values `interpolateValue`). */
export function interpolateValue(value, env = process.env) {
  return value
    .split('$$')
    .map((part) => goExpandEnv(expandVar(part, env), env))
    .join('$');
}

/** Expands every string value of a YAML tree, keys untouched (values.JSONValue / StringMapValue). */
export function expandValues(node, env = process.env) {
  if (typeof node === 'string') {
    return interpolateValue(node, env);
  }
  if (Array.isArray(node)) {
    return node.map((item) => expandValues(item, env));
  }
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expandValues(v, env)]));
  }
  return node;
}

function asBool(value, fallback) {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  return ['true', '1', 't', 'TRUE', 'True', 'T'].includes(String(value));
}

function asInt(value, fallback) {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n)) {
    throw new ProvisioningError(`not an integer: ${value}`);
  }
  return n;
}

function yamlFiles(dir) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(ya?ml)$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

function readYaml(file) {
  try {
    return YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ProvisioningError(`${file}: ${error.message}`);
  }
}

/** Reads provisioning/plugins/*.yaml: app settings (enabled = !disabled). */
export function readAppProvisioning(dir, env = process.env) {
  const apps = [];
  for (const file of yamlFiles(path.join(dir, 'plugins'))) {
    const doc = readYaml(file);
    for (const raw of doc.apps ?? []) {
      const app = expandValues(raw, env);
      if (!app.type) {
        throw new ProvisioningError(`${file}: app item without type`);
      }
      apps.push({
        pluginId: app.type,
        orgId: asInt(app.org_id, 1),
        enabled: !asBool(app.disabled, false),
        jsonData: app.jsonData ?? {},
        secureJsonData: app.secureJsonData ?? {},
        source: file,
      });
    }
  }
  return apps;
}

/** Reads provisioning/datasources/*.yaml (apiVersion 1): deletions and data sources, values expanded. */
export function readDataSourceProvisioning(dir, env = process.env) {
  const deletions = [];
  const dataSources = [];
  for (const file of yamlFiles(path.join(dir, 'datasources'))) {
    const doc = readYaml(file);
    for (const raw of doc.deleteDatasources ?? []) {
      const del = expandValues(raw, env);
      deletions.push({ name: del.name, orgId: asInt(del.orgId, 1) });
    }
    for (const raw of doc.datasources ?? []) {
      const ds = expandValues(raw, env);
      if (!ds.name) {
        throw new ProvisioningError(`${file}: data source without name`);
      }
      if (!ds.type) {
        throw new ProvisioningError(`${file}: data source ${ds.name} without type`);
      }
      dataSources.push({
        name: String(ds.name),
        type: String(ds.type),
        uid: ds.uid ? String(ds.uid) : undefined,
        orgId: asInt(ds.orgId, 1),
        access: ds.access ? String(ds.access) : 'proxy',
        url: ds.url ? String(ds.url) : '',
        user: ds.user ?? '',
        database: ds.database ?? '',
        basicAuth: asBool(ds.basicAuth, false),
        basicAuthUser: ds.basicAuthUser ?? '',
        withCredentials: asBool(ds.withCredentials, false),
        isDefault: asBool(ds.isDefault, false),
        jsonData: ds.jsonData ?? {},
        secureJsonData: Object.fromEntries(Object.entries(ds.secureJsonData ?? {}).map(([k, v]) => [k, String(v)])),
        version: asInt(ds.version, 0),
        // Provisioned data sources are read-only unless `editable: true`.
        readOnly: !asBool(ds.editable, false),
        source: file,
      });
    }
  }
  const defaults = dataSources.filter((ds) => ds.isDefault);
  const orgsWithTwoDefaults = defaults.filter((ds, i) => defaults.findIndex((d) => d.orgId === ds.orgId) !== i);
  if (orgsWithTwoDefaults.length > 0) {
    throw new ProvisioningError(
      'datasource.yaml config is invalid. Only one datasource per organization can be marked as default'
    );
  }
  return { deletions, dataSources };
}
