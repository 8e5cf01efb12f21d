// STAND-IN for Grafana's server. Grafana cannot be built here: the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403 and Debian has no grafana package (docs/testing.md, "Grafana server").
// This Node server implements the behaviour our plugin depends on, each rule named after the Grafana code it
// follows (the facts are in ../shared/reference/grafana-fidelity.md): plugin loading with nested plugins and the
// unsigned allow-list (plugins.mjs), provisioning with value expansion (provisioning.mjs), the data source API
// keeping secureJsonData server-side, the data source proxy with route templating, header rules, 401 rewriting,
// per-data-source TLS and timeouts (proxy.mjs, route-template.mjs), who may call what (access.mjs), and the
// import of an enabled app's bundled dashboards (dashboards.mjs). It does not run Grafana's frontend, its real
// template engine or its TLS code; every check that uses it names it as a stand-in.
//
// Configuration (Grafana's own environment variable names):
//   GF_SERVER_HTTP_ADDR (default 127.0.0.1), GF_SERVER_HTTP_PORT (default 0: a free port)
//   GF_SECURITY_ADMIN_USER (default admin), GF_SECURITY_ADMIN_PASSWORD (required)
//   GF_PATHS_PLUGINS, GF_PATHS_PROVISIONING
//   GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS (comma-separated ids), GF_DEFAULT_APP_MODE (development allows all)
//   GF_DATAPROXY_TIMEOUT (30), GF_DATAPROXY_DIALTIMEOUT (10), GF_DATAPROXY_TLS_HANDSHAKE_TIMEOUT_SECONDS (10)
// Stand-in only:
//   GRAFANA_STAND_IN_VIEWER_PASSWORD  adds the user `viewer` with the org role Viewer beside the admin
//   GRAFANA_STAND_IN_URL_FILE     written with "http://127.0.0.1:<port>" once the server listens
//   GRAFANA_STAND_IN_FORWARD_LOG  one JSON line per proxied request: uid, user, method, proxy path, matched
//                                 route, target URL, Authorization fingerprint ("Bearer sha256:<12 hex>"), status
//
// HTTP API (stable; the browser harness in tests/browser/ relies on it). Everything under /api except
// /api/health needs basic auth (admin, or viewer for what access.mjs grants a Viewer); errors are JSON
// {"message": ...} like Grafana's.
//   GET    /api/health                                 {"database":"ok","version":"stand-in","standIn":true}
//   GET    /api/frontend/settings                      {datasources: {<name>: instance settings with
//                                                       url=/api/datasources/proxy/uid/<uid>}, apps: {<id>:
//                                                       {id, path, version, preload}}, buildInfo}; data sources of
//                                                       a disabled app stay listed, as in Grafana
//   GET    /api/plugins[?type=&enabled=1|0&embedded=0] [{id, type, name, enabled, pinned, info,
//                                                       includedInAppId, module, baseUrl, ...}]
//   GET    /api/plugins/<id>/settings                  + includes, jsonData, secureJsonFields
//   POST   /api/plugins/<id>/settings                  {enabled, pinned, jsonData, secureJsonData}; enabling an
//                                                       app imports its dashboards, disabling deletes them
//   GET    /api/plugins/<id>/dashboards                [{uid, title, path, revision, imported, importedRevision,
//                                                       dashboardId, removed, ...}] (enabled apps only)
//   GET    /api/dashboards/uid/<uid>                   {dashboard, meta} of an imported dashboard
//   GET    /api/datasources                            list items (no secureJsonFields)
//   POST   /api/datasources                            create; {datasource, id, message:"Datasource added", name}
//   GET    /api/datasources/uid/<uid>                  {id, uid, name, type, access, url, jsonData,
//          /api/datasources/name/<name>, /<id>         secureJsonFields: {key: true}, version, readOnly, ...}
//   PUT    /api/datasources/uid/<uid>                  update; secrets not sent are kept, "" clears one;
//                                                       403 for provisioned (editable: false) data sources
//   DELETE /api/datasources/uid/<uid>                  {"message":"Data source deleted"}
//   *      /api/datasources/proxy/uid/<uid>/<path>     the data source proxy (proxy.mjs); also /proxy/<id>/...
//   GET    /public/plugins/<pluginId>/<file>           files of a loaded plugin (nested ones under the app's
//                                                       folder, e.g. /public/plugins/<appId>/datasource/module.js)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import {
  effectivePluginSettings,
  loadPlugins,
  pluginListItem,
  pluginSettingDto,
  secureJsonFields,
} from './plugins.mjs';
import { accessDenied, allows, authenticate, requiredAccess } from './access.mjs';
import {
  DashboardStore,
  deletePluginDashboards,
  listPluginDashboards,
  pluginDashboardDto,
  syncPluginDashboards,
} from './dashboards.mjs';
import { readAppProvisioning, readDataSourceProvisioning } from './provisioning.mjs';
import { DATAPROXY_DEFAULTS, proxyRequest } from './proxy.mjs';

const VERSION = 'stand-in';
const USER_AGENT = 'Grafana/stand-in';
const ORG_ID = 1;
const CONTENT_TYPES = {
  '.js': 'application/javascript',
  '.mjs': 'application/javascript',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

function log(...args) {
  console.log(`[grafana-stand-in ${new Date().toISOString()}]`, ...args);
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const fail = (res, status, message) => sendJson(res, status, { message });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(new Error('bad request data'));
      }
    });
    req.on('error', reject);
  });
}

export function createStandIn(config) {
  const { plugins, errors: pluginErrors } = loadPlugins(config.pluginsDir, {
    allowUnsigned: config.allowUnsigned,
    developmentMode: config.developmentMode,
  });
  for (const e of pluginErrors) {
    log('plugin not loaded:', JSON.stringify(e));
  }
  for (const p of plugins.values()) {
    log(
      `plugin loaded: ${p.id} (${p.type})${p.parentId ? ` included in ${p.parentId}` : ''}, ${p.routes.length} routes`
    );
  }

  const storedPluginSettings = new Map();
  const dataSources = [];
  let nextId = 1;

  // Provisioning: apps first, then data sources (Grafana provisions plugins before data sources too).
  if (config.provisioningDir) {
    for (const app of readAppProvisioning(config.provisioningDir)) {
      const plugin = plugins.get(app.pluginId);
      if (!plugin) {
        throw new Error(`app provisioning (${app.source}): plugin not installed: "${app.pluginId}"`);
      }
      if (plugin.type !== 'app') {
        throw new Error(`app provisioning: ${app.pluginId} is not an app plugin`);
      }
      storedPluginSettings.set(app.pluginId, {
        enabled: app.enabled,
        pinned: app.enabled,
        jsonData: app.jsonData,
        secureJsonData: app.secureJsonData,
      });
      log(`app provisioned: ${app.pluginId} enabled=${app.enabled}`);
    }
    const { deletions, dataSources: provisioned } = readDataSourceProvisioning(config.provisioningDir);
    for (const del of deletions) {
      const i = dataSources.findIndex((ds) => ds.name === del.name && ds.orgId === del.orgId);
      if (i >= 0) {
        dataSources.splice(i, 1);
      }
    }
    for (const p of provisioned) {
      const { source, ...fields } = p;
      const existing = dataSources.find((ds) => ds.name === p.name && ds.orgId === p.orgId);
      if (existing) {
        Object.assign(existing, fields, { uid: fields.uid ?? existing.uid, version: existing.version + 1 });
      } else {
        dataSources.push({
          ...fields,
          id: nextId++,
          uid: fields.uid ?? randomUid(),
          version: Math.max(1, fields.version),
        });
      }
      log(`data source provisioned from ${path.basename(source)}: ${p.name} (${p.type}, uid ${p.uid})`);
    }
  }

  const settingsNow = () => effectivePluginSettings(plugins, storedPluginSettings);

  // DashboardUpdater.updateAppDashboards, at start: every enabled app whose dashboards were synced for another
  // version of it (never, in a fresh stand-in) gets them imported, and the version is stored.
  const dashboards = new DashboardStore(log);
  for (const [id, setting] of settingsNow()) {
    const plugin = plugins.get(id);
    if (plugin?.type === 'app' && setting.enabled && setting.pluginVersion !== plugin.json.info?.version) {
      syncPluginDashboards(plugin, dashboards);
      storedPluginSettings.set(id, { ...setting, pluginVersion: plugin.json.info?.version });
    }
  }

  function randomUid() {
    return Math.random().toString(36).slice(2, 11);
  }

  function dsDto(ds) {
    const plugin = plugins.get(ds.type);
    return {
      id: ds.id,
      uid: ds.uid,
      orgId: ds.orgId,
      name: ds.name,
      type: ds.type,
      typeLogoUrl: plugin?.json.info?.logos?.small ? `${plugin.baseUrl}/${plugin.json.info.logos.small}` : '',
      access: ds.access,
      url: ds.url,
      user: ds.user,
      database: ds.database,
      basicAuth: ds.basicAuth,
      basicAuthUser: ds.basicAuthUser,
      withCredentials: ds.withCredentials,
      isDefault: ds.isDefault,
      jsonData: ds.jsonData,
      secureJsonFields: secureJsonFields(ds.secureJsonData),
      version: ds.version,
      readOnly: ds.readOnly,
    };
  }

  function dsListItem(ds) {
    const { secureJsonFields: _omit, basicAuthUser: _u, withCredentials: _w, version: _v, ...item } = dsDto(ds);
    return { ...item, typeName: plugins.get(ds.type)?.name ?? ds.type };
  }

  function findDs(kind, key) {
    if (kind === 'uid') {
      return dataSources.find((ds) => ds.uid === key);
    }
    if (kind === 'name') {
      return dataSources.find((ds) => ds.name === key);
    }
    return dataSources.find((ds) => String(ds.id) === key);
  }

  /**
   * getFrontendSettings (pkg/api/frontendsettings.go): every data source whose plugin is installed, whether or not
   * that plugin is enabled (availablePlugins keeps every plugin that has settings, and every plugin has); apps with
   * their settings, preloaded only when enabled.
   */
  function frontendSettings() {
    const settings = settingsNow();
    const datasources = {};
    for (const ds of dataSources) {
      const plugin = plugins.get(ds.type);
      if (!plugin) {
        continue;
      }
      datasources[ds.name] = {
        id: ds.id,
        uid: ds.uid,
        type: ds.type,
        name: ds.name,
        access: ds.access,
        url: ds.access === 'proxy' ? `/api/datasources/proxy/uid/${ds.uid}` : ds.url,
        jsonData: ds.jsonData,
        isDefault: ds.isDefault,
        readOnly: ds.readOnly,
        meta: {
          ...plugin.json,
          module: plugin.module,
          baseUrl: plugin.baseUrl,
          includedInAppId: plugin.parentId ?? '',
        },
      };
    }
    const apps = {};
    for (const plugin of plugins.values()) {
      if (plugin.type === 'app') {
        apps[plugin.id] = {
          id: plugin.id,
          path: plugin.module,
          version: plugin.json.info?.version ?? '',
          preload: Boolean(settings.get(plugin.id)?.enabled && plugin.json.preload),
        };
      }
    }
    return { datasources, apps, buildInfo: { version: VERSION, standIn: true } };
  }

  const users = [
    { login: config.adminUser, password: config.adminPassword, role: 'Admin' },
    ...(config.viewerPassword ? [{ login: 'viewer', password: config.viewerPassword, role: 'Viewer' }] : []),
  ];

  function servePluginFile(res, pluginId, rest) {
    const plugin = plugins.get(pluginId);
    const file = plugin ? path.resolve(plugin.dir, rest) : undefined;
    if (!plugin || !file.startsWith(plugin.dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      fail(res, 404, 'Plugin file not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
    });
    res.end(body);
  }

  async function saveDataSource(req, res, existing) {
    let body;
    try {
      body = await readBody(req);
    } catch (error) {
      return fail(res, 400, error.message);
    }
    if (!body.name || (!existing && !body.type)) {
      return fail(res, 400, 'Required fields: name, type, access');
    }
    const clash = dataSources.find((ds) => ds !== existing && ds.name === body.name);
    if (clash) {
      return fail(res, 409, 'data source with the same name already exists');
    }
    if (!existing) {
      if (body.uid && findDs('uid', body.uid)) {
        return fail(res, 409, 'data source with the same uid already exists');
      }
      const ds = {
        id: nextId++,
        uid: body.uid || randomUid(),
        orgId: ORG_ID,
        name: body.name,
        type: body.type,
        access: body.access || 'proxy',
        url: body.url ?? '',
        user: body.user ?? '',
        database: body.database ?? '',
        basicAuth: Boolean(body.basicAuth),
        basicAuthUser: body.basicAuthUser ?? '',
        withCredentials: Boolean(body.withCredentials),
        isDefault: Boolean(body.isDefault),
        jsonData: body.jsonData ?? {},
        secureJsonData: { ...(body.secureJsonData ?? {}) },
        version: 1,
        readOnly: false,
      };
      dataSources.push(ds);
      return sendJson(res, 200, {
        datasource: dsDto(ds),
        id: ds.id,
        uid: ds.uid,
        message: 'Datasource added',
        name: ds.name,
      });
    }
    if (existing.readOnly) {
      return fail(res, 403, 'Cannot update read-only data source');
    }
    if (body.version && body.version < existing.version) {
      return fail(res, 409, 'Datasource has already been updated by someone else. Please reload and try again');
    }
    // fillWithSecureJSONData: stored secrets the update does not mention are kept; "" overwrites (clears).
    const secure = { ...existing.secureJsonData, ...(body.secureJsonData ?? {}) };
    Object.assign(existing, {
      name: body.name,
      type: body.type ?? existing.type,
      access: body.access || existing.access,
      url: body.url ?? '',
      user: body.user ?? '',
      database: body.database ?? '',
      basicAuth: Boolean(body.basicAuth),
      basicAuthUser: body.basicAuthUser ?? '',
      withCredentials: Boolean(body.withCredentials),
      isDefault: Boolean(body.isDefault),
      jsonData: body.jsonData ?? {},
      secureJsonData: secure,
      version: existing.version + 1,
    });
    return sendJson(res, 200, {
      datasource: dsDto(existing),
      id: existing.id,
      message: 'Datasource updated',
      name: existing.name,
    });
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://stand-in');
    const rawPath = req.url.split('?')[0];
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const p = url.pathname;
    const method = req.method;

    if (p === '/api/health' && method === 'GET') {
      return sendJson(res, 200, { database: 'ok', version: VERSION, commit: 'stand-in', standIn: true });
    }
    const publicPlugin = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(p);
    if (publicPlugin && method === 'GET') {
      return servePluginFile(res, publicPlugin[1], publicPlugin[2]);
    }
    if (!p.startsWith('/api/')) {
      return fail(res, 404, 'Not found');
    }
    const user = authenticate(req, users);
    if (!user) {
      return fail(res, 401, 'Unauthorized');
    }
    const access = requiredAccess(method, p);
    if (!allows(user, access)) {
      req.resume();
      return sendJson(res, 403, accessDenied(access));
    }

    // The proxy keeps the escaped path, as Grafana's getProxyPath uses URL.EscapedPath().
    const proxy = /^\/api\/datasources\/proxy\/(uid\/[\w-]+|\d+)(?:\/|$)/.exec(rawPath);
    if (proxy) {
      const ds = proxy[1].startsWith('uid/') ? findDs('uid', proxy[1].slice(4)) : findDs('id', proxy[1]);
      if (!ds) {
        return fail(res, 404, 'Unable to find datasource');
      }
      const plugin = plugins.get(ds.type);
      if (!plugin) {
        return fail(res, 404, 'Unable to find datasource plugin');
      }
      return proxyRequest({
        req,
        res,
        ds,
        plugin,
        proxyPath: rawPath.slice(proxy[0].length),
        rawQuery,
        userAgent: USER_AGENT,
        log: config.forwardLog,
        user,
        dataproxy: config.dataproxy,
      });
    }

    if (p === '/api/frontend/settings' && method === 'GET') {
      return sendJson(res, 200, frontendSettings());
    }

    if (p === '/api/plugins' && method === 'GET') {
      const settings = settingsNow();
      const type = url.searchParams.get('type');
      const enabled = url.searchParams.get('enabled');
      const embedded = url.searchParams.get('embedded');
      const items = [...plugins.values()]
        .filter((pl) => !type || pl.type === type)
        .filter((pl) => !(embedded === '0' && pl.parentId))
        .map((pl) => pluginListItem(pl, settings.get(pl.id)))
        .filter((item) => enabled === null || (enabled === '1') === item.enabled)
        .sort((a, b) => a.name.localeCompare(b.name));
      return sendJson(res, 200, items);
    }
    const pluginSettings = /^\/api\/plugins\/([^/]+)\/settings$/.exec(p);
    if (pluginSettings) {
      const plugin = plugins.get(pluginSettings[1]);
      if (!plugin) {
        return fail(res, 404, 'Plugin not found, no installed plugin with that id');
      }
      if (method === 'GET') {
        return sendJson(res, 200, pluginSettingDto(plugin, settingsNow().get(plugin.id)));
      }
      if (method === 'POST') {
        let body;
        try {
          body = await readBody(req);
        } catch (error) {
          return fail(res, 400, error.message);
        }
        const current = settingsNow().get(plugin.id);
        const enabled = body.enabled ?? current.enabled;
        storedPluginSettings.set(plugin.id, {
          enabled,
          pinned: body.pinned ?? current.pinned,
          jsonData: body.jsonData ?? current.jsonData,
          secureJsonData: { ...(current.secureJsonData ?? {}), ...(body.secureJsonData ?? {}) },
          pluginVersion: current.pluginVersion,
        });
        // DashboardUpdater.handlePluginStateChanged: an app enabled gets its dashboards synced, a disabled one
        // loses them.
        if (plugin.type === 'app' && enabled !== current.enabled) {
          if (enabled) {
            syncPluginDashboards(plugin, dashboards);
            storedPluginSettings.get(plugin.id).pluginVersion = plugin.json.info?.version;
          } else {
            deletePluginDashboards(plugin.id, dashboards);
          }
        }
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
    }

    const pluginDashboards = /^\/api\/plugins\/([^/]+)\/dashboards\/?$/.exec(p);
    if (pluginDashboards && method === 'GET') {
      const plugin = plugins.get(pluginDashboards[1]);
      // checkAppEnabled: only an installed, enabled app has dashboards to list.
      if (!plugin || plugin.type !== 'app' || !settingsNow().get(plugin.id)?.enabled) {
        return fail(res, 404, 'Plugin not found');
      }
      return sendJson(res, 200, listPluginDashboards(plugin, dashboards).map(pluginDashboardDto));
    }
    const dashboardUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(p);
    if (dashboardUid && method === 'GET') {
      const dto = dashboards.dto(decodeURIComponent(dashboardUid[1]));
      return dto ? sendJson(res, 200, dto) : fail(res, 404, 'Dashboard not found');
    }

    if (p === '/api/datasources') {
      if (method === 'GET') {
        return sendJson(res, 200, dataSources.map(dsListItem));
      }
      if (method === 'POST') {
        return saveDataSource(req, res, undefined);
      }
    }
    const dsPath = /^\/api\/datasources\/(?:(uid|name)\/([^/]+)|(\d+))$/.exec(p);
    if (dsPath) {
      const kind = dsPath[1] ?? 'id';
      const key = decodeURIComponent(dsPath[2] ?? dsPath[3]);
      const ds = findDs(kind, key);
      if (!ds) {
        return fail(res, 404, 'Data source not found');
      }
      if (method === 'GET') {
        return sendJson(res, 200, dsDto(ds));
      }
      if (method === 'PUT' && kind !== 'name') {
        return saveDataSource(req, res, ds);
      }
      if (method === 'DELETE') {
        if (ds.readOnly) {
          return fail(res, 403, 'Cannot delete read-only data source');
        }
        dataSources.splice(dataSources.indexOf(ds), 1);
        return sendJson(res, 200, { message: 'Data source deleted', id: ds.id });
      }
    }
    return fail(res, 404, 'Not found');
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log('internal error', error.stack);
      if (!res.headersSent) {
        fail(res, 500, `Grafana stand-in: ${error.message}`);
      } else {
        res.destroy();
      }
    });
  });
}

function configFromEnv(env) {
  if (!env.GF_SECURITY_ADMIN_PASSWORD) {
    throw new Error('GF_SECURITY_ADMIN_PASSWORD is required');
  }
  if (!env.GF_PATHS_PLUGINS) {
    throw new Error('GF_PATHS_PLUGINS is required');
  }
  const forwardLogFile = env.GRAFANA_STAND_IN_FORWARD_LOG;
  const seconds = (value, fallback) => (Number(value) > 0 ? Number(value) : fallback);
  return {
    host: env.GF_SERVER_HTTP_ADDR || '127.0.0.1',
    port: Number(env.GF_SERVER_HTTP_PORT || 0),
    adminUser: env.GF_SECURITY_ADMIN_USER || 'admin',
    adminPassword: env.GF_SECURITY_ADMIN_PASSWORD,
    viewerPassword: env.GRAFANA_STAND_IN_VIEWER_PASSWORD,
    dataproxy: {
      timeoutSeconds: seconds(env.GF_DATAPROXY_TIMEOUT, DATAPROXY_DEFAULTS.timeoutSeconds),
      dialTimeoutSeconds: seconds(env.GF_DATAPROXY_DIALTIMEOUT, DATAPROXY_DEFAULTS.dialTimeoutSeconds),
      tlsHandshakeTimeoutSeconds: seconds(
        env.GF_DATAPROXY_TLS_HANDSHAKE_TIMEOUT_SECONDS,
        DATAPROXY_DEFAULTS.tlsHandshakeTimeoutSeconds
      ),
    },
    pluginsDir: path.resolve(env.GF_PATHS_PLUGINS),
    provisioningDir: env.GF_PATHS_PROVISIONING ? path.resolve(env.GF_PATHS_PROVISIONING) : undefined,
    allowUnsigned: (env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    developmentMode: env.GF_DEFAULT_APP_MODE === 'development',
    urlFile: env.GRAFANA_STAND_IN_URL_FILE,
    forwardLog: forwardLogFile
      ? (entry) => fs.appendFileSync(forwardLogFile, JSON.stringify(entry) + '\n')
      : (entry) => log('proxy', JSON.stringify(entry)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = configFromEnv(process.env);
  const server = createStandIn(config);
  server.listen(config.port, config.host, () => {
    const { port } = server.address();
    const url = `http://${config.host}:${port}`;
    if (config.urlFile) {
      fs.writeFileSync(config.urlFile, url + '\n');
    }
    log(`listening on ${url} (stand-in for Grafana's server, not Grafana)`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
