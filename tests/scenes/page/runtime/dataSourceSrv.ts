// STAND-IN for Grafana's DatasourceSrv (public/app/features/plugins/datasource_srv.ts), core code not on npm.
// It follows Grafana's rules: instance settings come from /api/frontend/settings (`reload`), keyed by name, uid and
// id; a reference that starts with `$` is interpolated with the template service (first value of a multi-value
// variable) and the settings keep the uninterpolated name and uid; a plugin's module is imported once through
// SystemJS and its DataSourceClass instantiated per uid; `getList` filters as Grafana's does. Left out: expression,
// "-- Grafana --", "-- Mixed --" and "-- Dashboard --" data sources, which no bundled dashboard of ours uses.
import {
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourceRef,
  matchPluginId,
  type ScopedVars,
} from '@grafana/data';
import {
  type DataSourceSrv,
  getBackendSrv,
  type GetDataSourceListFilters,
  type RuntimeDataSource,
  type RuntimeDataSourceRegistration,
  type TemplateSrv,
} from '@grafana/runtime';

import { importDataSourcePlugin, moduleUrlOf } from '../../../browser/host/pluginLoader';

/** datasource_srv.ts `variableInterpolation`: a multi-value data source variable means its first value. */
const firstValue = (value: string | string[]) => (Array.isArray(value) ? value[0] : value);

const nameOrUidOf = (ref?: string | DataSourceRef | null) => (typeof ref === 'string' ? ref : (ref?.uid ?? undefined));

interface FrontendSettings {
  datasources: Record<string, DataSourceInstanceSettings>;
  defaultDatasource?: string;
}

export class HostDataSourceSrv implements DataSourceSrv {
  private datasources: Record<string, DataSourceApi> = {};
  private settingsMapByName: Record<string, DataSourceInstanceSettings> = {};
  private settingsMapByUid: Record<string, DataSourceInstanceSettings> = {};
  private settingsMapById: Record<string, DataSourceInstanceSettings> = {};
  private runtimeDataSources: Record<string, RuntimeDataSource> = {};
  private defaultName = '';

  constructor(private readonly templateSrv: TemplateSrv) {}

  init(settingsMapByName: Record<string, DataSourceInstanceSettings>, defaultName: string) {
    this.datasources = {};
    this.settingsMapByUid = {};
    this.settingsMapById = {};
    this.settingsMapByName = settingsMapByName;
    this.defaultName = defaultName;
    for (const settings of Object.values(settingsMapByName)) {
      this.settingsMapByUid[settings.uid] = settings;
      if (settings.id !== undefined) {
        this.settingsMapById[settings.id] = settings;
      }
    }
    for (const ds of Object.values(this.runtimeDataSources)) {
      this.datasources[ds.uid] = ds;
      this.settingsMapByUid[ds.uid] = ds.instanceSettings;
    }
  }

  registerRuntimeDataSource(entry: RuntimeDataSourceRegistration): void {
    const { uid } = entry.dataSource;
    if (this.runtimeDataSources[uid] || this.settingsMapByUid[uid]) {
      throw new Error(`A data source with uid ${uid} has already been registered`);
    }
    this.runtimeDataSources[uid] = entry.dataSource;
    this.datasources[uid] = entry.dataSource;
    this.settingsMapByUid[uid] = entry.dataSource.instanceSettings;
  }

  getInstanceSettings(
    ref: string | null | undefined | DataSourceRef,
    scopedVars?: ScopedVars
  ): DataSourceInstanceSettings | undefined {
    const nameOrUid = nameOrUidOf(ref);
    if (nameOrUid === 'default' || nameOrUid === undefined) {
      return this.settingsMapByUid[this.defaultName] ?? this.settingsMapByName[this.defaultName];
    }
    if (nameOrUid[0] === '$') {
      const interpolated = this.templateSrv.replace(nameOrUid, scopedVars, firstValue);
      const settings =
        interpolated === 'default'
          ? this.settingsMapByName[this.defaultName]
          : (this.settingsMapByUid[interpolated] ?? this.settingsMapByName[interpolated]);
      if (!settings) {
        return undefined;
      }
      return {
        ...settings,
        isDefault: false,
        name: nameOrUid,
        uid: nameOrUid,
        rawRef: { type: settings.type, uid: settings.uid },
      };
    }
    return this.settingsMapByUid[nameOrUid] ?? this.settingsMapByName[nameOrUid] ?? this.settingsMapById[nameOrUid];
  }

  get(ref?: string | DataSourceRef | null, scopedVars?: ScopedVars): Promise<DataSourceApi> {
    let nameOrUid = nameOrUidOf(ref);
    if (!nameOrUid) {
      return this.get(this.defaultName);
    }
    nameOrUid = this.settingsMapByName[nameOrUid]?.uid ?? nameOrUid;
    if (this.datasources[nameOrUid]) {
      return Promise.resolve(this.datasources[nameOrUid]);
    }
    nameOrUid = this.templateSrv.replace(nameOrUid, scopedVars, firstValue);
    if (nameOrUid === 'default' && this.defaultName !== 'default') {
      return this.get(this.defaultName);
    }
    return this.datasources[nameOrUid] ? Promise.resolve(this.datasources[nameOrUid]) : this.loadDatasource(nameOrUid);
  }

  async loadDatasource(key: string): Promise<DataSourceApi> {
    if (this.datasources[key]) {
      return this.datasources[key];
    }
    const instanceSettings = this.getInstanceSettings(key);
    if (!instanceSettings) {
      throw { message: `Datasource ${key} was not found` };
    }
    const plugin = await importDataSourcePlugin(
      moduleUrlOf(instanceSettings.meta.module, `public/plugins/${instanceSettings.type}/module.js`)
    );
    if (this.datasources[key]) {
      return this.datasources[key];
    }
    const instance = new plugin.DataSourceClass(instanceSettings);
    instance.components = plugin.components;
    this.datasources[key] = instance;
    this.datasources[instance.uid] = instance;
    return instance;
  }

  getAll(): DataSourceInstanceSettings[] {
    return Object.values(this.settingsMapByName);
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const base = Object.values(this.settingsMapByName).filter((x) => {
      const { meta } = x;
      return !(
        ['grafana', 'mixed', 'dashboard'].includes(meta.id) ||
        (filters.metrics && !meta.metrics) ||
        (filters.tracing && !meta.tracing) ||
        (filters.logs && meta.category !== 'logging' && !meta.logs) ||
        (filters.annotations && !meta.annotations) ||
        (filters.alerting && !meta.alerting) ||
        (filters.pluginId && !matchPluginId(filters.pluginId, meta)) ||
        (filters.filter && !filters.filter(x)) ||
        (filters.type && (Array.isArray(filters.type) ? !filters.type.includes(x.type) : filters.type !== x.type)) ||
        (!filters.all && !meta.metrics && !meta.annotations && !meta.tracing && !meta.logs && !meta.alerting)
      );
    });
    if (filters.variables) {
      for (const variable of this.templateSrv.getVariables()) {
        if (variable.type !== 'datasource') {
          continue;
        }
        const current = variable.current.value;
        const value = firstValue((current === 'default' ? this.defaultName : current) as string | string[]);
        const settings = this.settingsMapByName[value] ?? this.settingsMapByUid[value];
        if (settings) {
          const key = `\${${variable.name}}`;
          base.push({ ...settings, isDefault: false, name: key, uid: key });
        }
      }
    }
    const lower = (settings: DataSourceInstanceSettings) => settings.name.toLowerCase();
    return base.sort((a, b) => (lower(a) > lower(b) ? 1 : lower(a) < lower(b) ? -1 : 0));
  }

  async reload() {
    const settings = await getBackendSrv().get<FrontendSettings>('/api/frontend/settings');
    this.init(settings.datasources, settings.defaultDatasource ?? '');
  }
}
