import React from 'react';
import type { AppPluginMeta, DataSourceInstanceSettings } from '@grafana/data';
import { render, screen } from '@testing-library/react';

import AppConfig, { type AppConfigProps } from './AppConfig';

const health: Record<string, Promise<{ status: string; message: string }>> = {};
const dataSources = [
  { uid: 'prod', name: 'Argo Rollouts (prod)' },
  { uid: 'staging', name: 'Argo Rollouts (staging)' },
] as DataSourceInstanceSettings[];

jest.mock('@grafana/runtime', () => ({
  getDataSourceSrv: () => ({
    getList: ({ pluginId }: { pluginId: string }) =>
      pluginId === 'rolloutlens-argorollouts-datasource' ? dataSources : [],
    get: (uid: string) => Promise.resolve({ testDatasource: () => health[uid] }),
  }),
}));

const props = (enabled: boolean) =>
  ({ plugin: { meta: { enabled } as AppPluginMeta }, query: {} }) as unknown as AppConfigProps;

describe('AppConfig', () => {
  it('lists every data source of the plugin with the result of its health check', async () => {
    health.prod = Promise.resolve({ status: 'success', message: 'Connected to Kubernetes v1.34.5 with Argo Rollouts' });
    health.staging = Promise.resolve({ status: 'error', message: 'The API server rejected the token' });
    render(<AppConfig {...props(true)} />);
    expect(screen.getByRole('link', { name: 'Argo Rollouts (prod)' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/prod'
    );
    expect(await screen.findByText('Connected to Kubernetes v1.34.5 with Argo Rollouts')).toBeInTheDocument();
    expect(await screen.findByText('The API server rejected the token')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Add data source/ })).toHaveAttribute(
      'href',
      '/connections/datasources/new/rolloutlens-argorollouts-datasource'
    );
  });

  it('asks to enable the app before data sources can be added', () => {
    render(<AppConfig {...props(false)} />);
    expect(screen.getByText('Enable the app first')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Add data source/ })).not.toBeInTheDocument();
  });
});
