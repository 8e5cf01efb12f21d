import React, { useEffect, useState } from 'react';
import type { AppPluginMeta, DataSourceInstanceSettings, PluginConfigPageProps } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, Badge, LinkButton, Stack, Text } from '@grafana/ui';

import { DATASOURCE_TYPE, NEW_DATASOURCE_URL } from '../constants';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<{}>> {}

type Health = { state: 'loading' } | { state: 'done'; status: string; message: string };

/** The app has no settings of its own: each cluster is one "Argo Rollouts" data source, listed here with its health. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const dataSources = getDataSourceSrv().getList({ pluginId: DATASOURCE_TYPE });
  if (!plugin.meta.enabled) {
    return (
      <Alert severity="info" title="Enable the app first">
        The Argo Rollouts data source can be added once Rollout Lens is enabled.
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={2}>
      <Text element="p">
        Each Kubernetes cluster is one Argo Rollouts data source. Use a read-only ServiceAccount (see deploy/ in the
        README): every viewer of a data source borrows its access.
      </Text>
      {dataSources.length === 0 ? (
        <Text color="secondary">No Argo Rollouts data source yet.</Text>
      ) : (
        dataSources.map((ds) => <DataSourceRow key={ds.uid} settings={ds} />)
      )}
      <div>
        <LinkButton href={NEW_DATASOURCE_URL} icon="plus">
          Add data source
        </LinkButton>
      </div>
    </Stack>
  );
};

function DataSourceRow({ settings }: { settings: DataSourceInstanceSettings }) {
  const [health, setHealth] = useState<Health>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    getDataSourceSrv()
      .get(settings.uid)
      .then((ds) => ds.testDatasource())
      .then(
        (result) => !cancelled && setHealth({ state: 'done', status: result.status, message: result.message }),
        (error: unknown) => !cancelled && setHealth({ state: 'done', status: 'error', message: String(error) })
      );
    return () => {
      cancelled = true;
    };
  }, [settings.uid]);

  return (
    <Stack direction="row" gap={2} alignItems="center">
      <LinkButton variant="secondary" fill="text" href={`/connections/datasources/edit/${settings.uid}`}>
        {settings.name}
      </LinkButton>
      {health.state === 'loading' ? (
        <Badge color="blue" text="Checking…" icon="fa fa-spinner" />
      ) : (
        <Badge
          color={health.status === 'success' ? 'green' : health.status === 'warning' ? 'orange' : 'red'}
          text={health.message}
        />
      )}
    </Stack>
  );
}

export default AppConfig;
