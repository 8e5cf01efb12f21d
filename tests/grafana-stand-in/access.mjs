// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for who may call which part of
// Grafana's HTTP API: basic-auth users with an org role, and the permission each route of pkg/api/api.go asks for,
// with the basic role Grafana grants it by default (OSS, fixed roles of pkg/services/accesscontrol):
//   any signed-in user: GET /api/frontend/settings, GET /api/plugins, GET /api/plugins/<id>/settings (the handler's
//        own check, plugins.app:access, is granted to Viewers), GET /api/dashboards/uid/<uid> (dashboards:read,
//        Viewers read the dashboards of the General folder);
//   datasources:query (Viewer): the data source proxy /api/datasources/proxy/...; a route's own reqRole is checked
//        by the proxy (proxy.mjs);
//   datasources:read, :create, :write, :delete (Admin): /api/datasources and /api/datasources/<uid|name|id>;
//   plugins:write (Admin): POST /api/plugins/<id>/settings; reqOrgAdmin: GET /api/plugins/<id>/dashboards.
// Denied: 403 {"accessErrorId", "message": "You'll need additional permissions to perform this action.
// Permissions needed: <action>", "title": "Access denied"} (accesscontrol middleware); no login: 401.
import crypto from 'node:crypto';

const ROLE_RANK = { Viewer: 1, Editor: 2, Admin: 3 };

/** The user of a request from its basic-auth header, or undefined. `users`: [{login, password, role}]. */
export function authenticate(req, users) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) {
    return undefined;
  }
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [login, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return users.find((user) => user.login === login && user.password === password);
}

/** What a route of the HTTP API asks for: `{role, action}`; role Viewer means any signed-in user. */
export function requiredAccess(method, pathname) {
  if (/^\/api\/datasources\/proxy\//.test(pathname)) {
    return { role: 'Viewer', action: 'datasources:query' };
  }
  if (/^\/api\/datasources(\/|$)/.test(pathname)) {
    const action = { GET: 'datasources:read', POST: 'datasources:create', DELETE: 'datasources:delete' }[method];
    return { role: 'Admin', action: action ?? 'datasources:write' };
  }
  if (/^\/api\/plugins\/[^/]+\/settings$/.test(pathname) && method !== 'GET') {
    return { role: 'Admin', action: 'plugins:write' };
  }
  if (/^\/api\/plugins\/[^/]+\/dashboards\/?$/.test(pathname)) {
    return { role: 'Admin', action: 'reqOrgAdmin' };
  }
  return { role: 'Viewer', action: 'signed in' };
}

/** org.RoleType.Includes: Admin includes Editor includes Viewer. */
export function roleIncludes(role, required) {
  return (ROLE_RANK[role] ?? 0) >= (ROLE_RANK[required] ?? Infinity);
}

export function allows(user, access) {
  return roleIncludes(user?.role, access.role);
}

/** The body of Grafana's 403 for a missing permission. */
export function accessDenied(access) {
  return {
    accessErrorId: `ACE${crypto.randomInt(1e9, 1e10)}`,
    message: `You'll need additional permissions to perform this action. Permissions needed: ${access.action}`,
    title: 'Access denied',
  };
}
