// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for Grafana's plugin loading
// and plugin settings (../shared/reference/grafana-plugin.md §3.3, §3.1):
//   - the finder walks the plugins directory (following symlinks, skipping node_modules) for every plugin.json;
//     a folder with a `dist` subfolder is mounted as `dist`; a plugin whose directory lies under another
//     plugin's directory becomes its child (`IncludedInAppID = parent.ID`, module
//     `public/plugins/<parentId>/<relPath>/module.js`, version inherited when its own is empty);
//   - a plugin.json without `id` or `type` is rejected ("did not find valid type or id properties");
//   - nothing is signed here, so a plugin loads only in development mode or when its id is listed in
//     `[plugins] allow_loading_unsigned_plugins`. The reference leaves open whether Grafana checks the child's id
//     too (§3.3 VERIFY); the stand-in checks every id, parent and child, and drops the children of a rejected
//     parent (they are part of its bundle);
//   - settings: stored (provisioned or saved) settings win; an app without settings is enabled iff
//     `autoEnabled`; any other plugin is enabled, except a child of an app, which is enabled iff that app is
//     (pluginSettings() in pkg/api/frontendsettings.go, §3.3).
import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_TYPES = new Set(['app', 'datasource', 'panel', 'renderer']);

export class PluginLoadError extends Error {}

function isDirectory(p) {
  try {
    return fs.statSync(p).isDirectory(); // follows symlinks, like Grafana's walker
  } catch {
    return false;
  }
}

/** Every plugin.json under `root`, honouring the `dist` rule. */
function findPluginJsonFiles(root, seen = new Set()) {
  const real = fs.realpathSync(root);
  if (seen.has(real)) {
    return [];
  }
  seen.add(real);
  // A folder whose `dist` subfolder holds a plugin.json is mounted as `dist`.
  const dir = fs.existsSync(path.join(root, 'dist', 'plugin.json')) ? path.join(root, 'dist') : root;
  const found = [];
  if (fs.existsSync(path.join(dir, 'plugin.json'))) {
    found.push(path.join(dir, 'plugin.json'));
  }
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) {
      continue;
    }
    const child = path.join(dir, name);
    if (isDirectory(child)) {
      found.push(...findPluginJsonFiles(child, seen));
    }
  }
  return found;
}

/**
 * Loads the plugins of `pluginsDir`. Returns `{plugins, errors}`; `plugins` maps id → plugin:
 * `{id, type, name, json, dir, parentId?, childIds, module, baseUrl, routes}`.
 */
export function loadPlugins(pluginsDir, { allowUnsigned = [], developmentMode = false } = {}) {
  const errors = [];
  const found = [];
  for (const top of fs.readdirSync(pluginsDir).sort()) {
    const dir = path.join(pluginsDir, top);
    if (!isDirectory(dir)) {
      continue;
    }
    for (const file of findPluginJsonFiles(dir)) {
      let json;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        errors.push({ file, error: `invalid plugin.json: ${error.message}` });
        continue;
      }
      if (!json.id || !PLUGIN_TYPES.has(json.type)) {
        errors.push({ file, error: 'did not find valid type or id properties in plugin.json' });
        continue;
      }
      found.push({ json, dir: path.dirname(file), mountedAs: dir });
    }
  }
  // Parent = the nearest other plugin whose directory contains this one.
  const byDir = new Map(found.map((p) => [p.dir, p]));
  for (const p of found) {
    let dir = path.dirname(p.dir);
    while (dir.length >= pluginsDir.length && dir !== path.dirname(dir)) {
      if (byDir.has(dir)) {
        p.parent = byDir.get(dir);
        break;
      }
      dir = path.dirname(dir);
    }
  }

  const plugins = new Map();
  const rejected = new Set();
  // Parents first, so a rejected parent takes its children with it.
  const ordered = [...found].sort((a, b) => a.dir.length - b.dir.length);
  for (const p of ordered) {
    const id = p.json.id;
    if (p.parent && rejected.has(p.parent.json.id)) {
      errors.push({ id, error: `not loaded: its parent ${p.parent.json.id} was not loaded` });
      rejected.add(id);
      continue;
    }
    if (!developmentMode && !allowUnsigned.includes(id)) {
      errors.push({
        id,
        error: `plugin ${id} is unsigned and not listed in [plugins] allow_loading_unsigned_plugins`,
      });
      rejected.add(id);
      continue;
    }
    if (plugins.has(id)) {
      errors.push({ id, error: `plugin ${id} is already registered` });
      continue;
    }
    const parent = p.parent ? plugins.get(p.parent.json.id) : undefined;
    const relPath = parent ? path.relative(parent.dir, p.dir).split(path.sep).join('/') : '';
    const json = { ...p.json, info: { ...(p.json.info ?? {}) } };
    if (parent && !json.info.version) {
      json.info.version = parent.json.info?.version;
    }
    const plugin = {
      id,
      type: json.type,
      name: json.name ?? id,
      json,
      dir: p.dir,
      parentId: parent?.type === 'app' ? parent.id : undefined,
      childIds: [],
      module: parent ? `public/plugins/${parent.id}/${relPath}/module.js` : `public/plugins/${id}/module.js`,
      baseUrl: parent ? `public/plugins/${parent.id}/${relPath}` : `public/plugins/${id}`,
      routes: Array.isArray(json.routes) ? json.routes : [],
    };
    plugins.set(id, plugin);
    if (parent) {
      parent.childIds.push(id);
    }
  }
  return { plugins, errors };
}

/**
 * Effective settings per plugin id: `{enabled, pinned, jsonData, secureJsonData}`.
 * `stored` maps plugin id → settings saved or provisioned for the org.
 */
export function effectivePluginSettings(plugins, stored) {
  const settings = new Map();
  for (const [id, s] of stored) {
    if (plugins.has(id)) {
      settings.set(id, s);
    }
  }
  for (const p of plugins.values()) {
    if (p.type === 'app' && !settings.has(p.id)) {
      const auto = Boolean(p.json.autoEnabled);
      settings.set(p.id, { enabled: auto, pinned: auto, jsonData: {}, secureJsonData: {} });
    }
  }
  for (const p of plugins.values()) {
    if (settings.has(p.id)) {
      continue;
    }
    const enabled = p.parentId ? Boolean(settings.get(p.parentId)?.enabled) : true;
    settings.set(p.id, { enabled, pinned: false, jsonData: {}, secureJsonData: {} });
  }
  return settings;
}

function secureJsonFields(secureJsonData) {
  return Object.fromEntries(
    Object.entries(secureJsonData ?? {})
      .filter(([, v]) => v !== '' && v !== undefined && v !== null)
      .map(([k]) => [k, true])
  );
}

function logoUrl(plugin, file) {
  return file ? `${plugin.baseUrl}/${file}` : undefined;
}

function info(plugin) {
  const i = plugin.json.info ?? {};
  return {
    ...i,
    logos: { small: logoUrl(plugin, i.logos?.small), large: logoUrl(plugin, i.logos?.large) },
  };
}

/** One item of GET /api/plugins. `includedInAppId` is the JSON name the stand-in gives Go's IncludedInAppID. */
export function pluginListItem(plugin, setting) {
  return {
    name: plugin.name,
    type: plugin.type,
    id: plugin.id,
    enabled: setting.enabled,
    pinned: setting.pinned,
    info: info(plugin),
    dependencies: plugin.json.dependencies ?? {},
    includedInAppId: plugin.parentId ?? '',
    signature: 'unsigned',
    state: plugin.json.state ?? '',
    module: plugin.module,
    baseUrl: plugin.baseUrl,
  };
}

/** GET /api/plugins/<id>/settings. */
export function pluginSettingDto(plugin, setting) {
  return {
    ...pluginListItem(plugin, setting),
    includes: plugin.json.includes ?? [],
    jsonData: setting.jsonData ?? {},
    secureJsonFields: secureJsonFields(setting.secureJsonData),
    defaultNavUrl: '',
    latestVersion: '',
    hasUpdate: false,
  };
}

export { secureJsonFields };
