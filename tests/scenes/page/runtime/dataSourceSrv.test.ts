import type { DataSourceInstanceSettings } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { importDataSourcePlugin } from '../../../browser/host/pluginLoader';
import { HostDataSourceSrv } from './dataSourceSrv';

jest.mock('../../../browser/host/pluginLoader', () => ({
  importDataSourcePlugin: jest.fn(),
  moduleUrlOf: (module: string) => `/${module}`,
}));

const meta = (id: string, extra = {}) => ({ id, module: `public/plugins/${id}/module.js`, metrics: true, ...extra });

function settings(name: string, uid: string, type = 'argo', extra = {}): DataSourceInstanceSettings {
  return {
    id: uid.length,
    uid,
    name,
    type,
    meta: meta(type, extra),
    jsonData: {},
    access: 'proxy',
    readOnly: false,
  } as unknown as DataSourceInstanceSettings;
}

/** A template service whose `$datasource` holds two values (a multi-value data source variable). */
const templateSrv = {
  replace: (target: string, _scoped: unknown, format?: (v: string | string[]) => string) =>
    target === '${datasource}' && format ? format(['prod-uid', 'staging-uid']) : target,
  getVariables: () => [],
} as unknown as TemplateSrv;

function srv() {
  const s = new HostDataSourceSrv(templateSrv);
  s.init(
    {
      Prod: settings('Prod', 'prod-uid'),
      staging: settings('staging', 'staging-uid'),
      Logs: settings('Logs', 'logs-uid', 'loki', { metrics: false, logs: true }),
    },
    'Prod'
  );
  return s;
}

describe('HostDataSourceSrv (datasource_srv.ts)', () => {
  it('resolves a ${variable} reference to its first value and keeps the uninterpolated name', () => {
    expect(srv().getInstanceSettings('${datasource}')).toMatchObject({
      uid: '${datasource}',
      name: '${datasource}',
      rawRef: { type: 'argo', uid: 'prod-uid' },
    });
    expect(srv().getInstanceSettings({ uid: 'staging-uid' })?.name).toBe('staging');
    expect(srv().getInstanceSettings(null)?.uid).toBe('prod-uid');
  });

  it('lists data sources as Grafana filters them, sorted by name', () => {
    expect(
      srv()
        .getList({ metrics: true, pluginId: 'argo' })
        .map((s) => s.name)
    ).toEqual(['Prod', 'staging']);
    expect(
      srv()
        .getList({ logs: true })
        .map((s) => s.name)
    ).toEqual(['Logs']);
  });

  it('imports a plugin once and makes one instance per data source', async () => {
    class Ds {
      uid: string;
      constructor(s: DataSourceInstanceSettings) {
        this.uid = s.uid;
      }
    }
    jest.mocked(importDataSourcePlugin).mockResolvedValue({ DataSourceClass: Ds, components: {} } as never);
    const s = srv();

    const viaVariable = await s.get('${datasource}');
    const byUid = await s.get({ uid: 'prod-uid' });

    expect(viaVariable).toBe(byUid);
    expect(viaVariable.uid).toBe('prod-uid');
    expect(importDataSourcePlugin).toHaveBeenCalledTimes(1);
    expect(importDataSourcePlugin).toHaveBeenCalledWith('/public/plugins/argo/module.js');
    await expect(s.get('missing')).rejects.toEqual({ message: 'Datasource missing was not found' });
  });
});
