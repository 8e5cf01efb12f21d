// STAND-IN for Grafana's server, which cannot be built here (the Go module proxy refuses the AGPL module
// github.com/grafana/grafana with 403; see docs/testing.md). This module stands in for how Grafana loads an app's
// bundled dashboards (pkg/services/plugindashboards/service):
//   - Service.ListPluginDashboards: one item per `includes` entry of type dashboard, read from the plugin's folder,
//     with `revision` from the file (`MustInt64(1)`: missing counts as 1); an imported dashboard of the plugin is
//     matched by slug and gives `imported`, `dashboardId` and `importedRevision` (never imported: 0); an imported
//     dashboard of the plugin that matches no file is listed as `removed`.
//   - DashboardUpdater.syncPluginDashboards: deletes the removed ones, imports (with overwrite) every one whose
//     `importedRevision` differs from its `revision`, then stores the plugin's version in its settings.
//   - DashboardUpdater.updateAppDashboards (at start): syncs every enabled app whose stored plugin version differs
//     from the installed one; handlePluginStateChanged: syncs an app when it is enabled, deletes all of its
//     dashboards when it is disabled.
// Dashboards live in memory, like every other state of the stand-in: a restart imports them again.
import fs from 'node:fs';
import path from 'node:path';

/** Grafana's slug of a title (slugify.Slugify): lower case, runs of other characters become one `-`. */
export function slugify(title) {
  return String(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `revision` of a dashboard's JSON as simplejson's MustInt64(1) reads it: a number, else 1. */
export function revisionOf(data) {
  return typeof data?.revision === 'number' && Number.isFinite(data.revision) ? Math.trunc(data.revision) : 1;
}

/** The app's `includes` of type dashboard, each with the JSON of its file. */
function dashboardFiles(plugin) {
  return (plugin.json.includes ?? [])
    .filter((include) => include.type === 'dashboard' && include.path)
    .map((include) => ({
      reference: include.path,
      data: JSON.parse(fs.readFileSync(path.join(plugin.dir, include.path), 'utf8')),
    }));
}

/** An in-memory dashboard store with Grafana's import and read shapes. */
export class DashboardStore {
  constructor(log = () => {}) {
    this.byUid = new Map();
    this.nextId = 1;
    this.log = log;
  }

  /** ImportDashboard with overwrite: the same uid is replaced and its version raised. */
  import(data, pluginId) {
    const existing = this.byUid.get(data.uid);
    const id = existing?.id ?? this.nextId++;
    const version = existing ? existing.version + 1 : 1;
    const stored = { id, uid: data.uid, title: data.title, slug: slugify(data.title), pluginId, version, data };
    this.byUid.set(data.uid, stored);
    return stored;
  }

  delete(uid) {
    this.byUid.delete(uid);
  }

  ofPlugin(pluginId) {
    return [...this.byUid.values()].filter((d) => d.pluginId === pluginId);
  }

  /** GET /api/dashboards/uid/<uid>: the stored JSON with the store's id, uid and version. */
  dto(uid) {
    const d = this.byUid.get(uid);
    if (!d) {
      return undefined;
    }
    return {
      dashboard: { ...d.data, id: d.id, uid: d.uid, version: d.version },
      meta: {
        type: 'db',
        slug: d.slug,
        url: `/d/${d.uid}/${d.slug}`,
        canSave: true,
        canEdit: true,
        provisioned: false,
        folderUid: '',
        folderTitle: 'Dashboards',
        version: d.version,
      },
    };
  }
}

/** Service.ListPluginDashboards for one app plugin. */
export function listPluginDashboards(plugin, store) {
  const existing = store.ofPlugin(plugin.id);
  const matched = new Set();
  const items = dashboardFiles(plugin).map(({ reference, data }) => {
    const slug = slugify(data.title);
    const imported = existing.find((d) => d.slug === slug);
    if (imported) {
      matched.add(imported.id);
    }
    return {
      uid: imported?.uid ?? data.uid,
      pluginId: plugin.id,
      title: data.title,
      path: reference,
      reference,
      revision: revisionOf(data),
      imported: Boolean(imported),
      importedUri: imported ? `db/${imported.slug}` : '',
      importedUrl: imported ? `/d/${imported.uid}/${imported.slug}` : '',
      importedRevision: imported ? revisionOf(imported.data) : 0,
      dashboardId: imported?.id ?? 0,
      slug: imported?.slug ?? '',
      removed: false,
      data,
    };
  });
  for (const d of existing) {
    if (!matched.has(d.id)) {
      items.push({ uid: d.uid, slug: d.slug, dashboardId: d.id, removed: true });
    }
  }
  return items;
}

/** DashboardUpdater.syncPluginDashboards: returns what it did, for the log and the tests. */
export function syncPluginDashboards(plugin, store) {
  const done = { imported: [], deleted: [], unchanged: [] };
  for (const item of listPluginDashboards(plugin, store)) {
    if (item.removed) {
      store.delete(item.uid);
      done.deleted.push(item.uid);
    } else if (item.importedRevision !== item.revision) {
      store.import(item.data, plugin.id);
      done.imported.push(`${item.uid}@${item.revision}`);
    } else {
      done.unchanged.push(item.uid);
    }
  }
  store.log(`plugin dashboards of ${plugin.id} synced: ${JSON.stringify(done)}`);
  return done;
}

/** handlePluginStateChanged with enabled = false: every dashboard of the plugin is deleted. */
export function deletePluginDashboards(pluginId, store) {
  const deleted = store.ofPlugin(pluginId).map((d) => d.uid);
  deleted.forEach((uid) => store.delete(uid));
  store.log(`plugin dashboards of ${pluginId} deleted: ${JSON.stringify(deleted)}`);
  return deleted;
}

/** The fields of GET /api/plugins/<id>/dashboards (PluginDashboard). */
export function pluginDashboardDto(item) {
  const { data: _data, reference: _reference, ...dto } = item;
  return dto;
}
