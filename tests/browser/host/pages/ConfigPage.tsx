import React, { useState } from 'react';
import type { DataSourcePluginMeta, DataSourceSettings, GrafanaTheme2, TestDataSourceResponse } from '@grafana/data';
import { css } from '@emotion/css';
import { Alert, Button, Stack, Text, useStyles2 } from '@grafana/ui';

import { saveDataSourceSettings, toInstanceSettings } from '../grafanaApi';
import type { AnyDataSourcePlugin } from '../pluginLoader';
import { HostFrame } from './HostFrame';

interface Props {
  plugin: AnyDataSourcePlugin;
  meta: DataSourcePluginMeta;
  initial: DataSourceSettings;
}

type Status =
  | { state: 'idle' }
  | { state: 'testing' }
  | { state: 'done'; result: TestDataSourceResponse }
  | { state: 'failed'; message: string };

const severityOf = (status: string): 'success' | 'warning' | 'error' | 'info' =>
  status === 'success' || status === 'warning' || status === 'error' ? status : 'info';

/**
 * Grafana's data source settings page, reduced to what a plugin sees: the plugin's ConfigEditor edits the
 * settings object; "Save & test" PUTs it to /api/datasources/uid/<uid>, reads it back, builds the data source
 * from the saved settings and shows the result of its testDatasource().
 */
export function ConfigPage({ plugin, meta, initial }: Props) {
  const [options, setOptions] = useState<DataSourceSettings>(initial);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const ConfigEditor = plugin.components.ConfigEditor;
  const styles = useStyles2(getStyles);

  const saveAndTest = async () => {
    setStatus({ state: 'testing' });
    try {
      const saved = await saveDataSourceSettings(options);
      setOptions(saved);
      const DataSourceClass = plugin.DataSourceClass;
      const dataSource = new DataSourceClass(toInstanceSettings(saved, meta));
      const result = (await dataSource.testDatasource()) as TestDataSourceResponse;
      setStatus({ state: 'done', result });
    } catch (error) {
      setStatus({ state: 'failed', message: describeError(error) });
    }
  };

  return (
    <HostFrame
      trail={['Home', 'Connections', 'Data sources', options.name]}
      title={options.name}
      subtitle={`Type: ${meta.name} · uid ${options.uid} · version ${options.version ?? '?'}`}
    >
      <div data-testid="config-editor">
        {ConfigEditor ? <ConfigEditor options={options} onOptionsChange={setOptions} /> : null}
      </div>
      <div data-testid="health-check" data-state={status.state} className={styles.result}>
        {status.state === 'done' && (
          <Alert
            severity={severityOf(status.result.status)}
            title={status.result.message}
            data-testid="health-check-result"
            data-status={status.result.status}
          >
            {status.result.details?.message && <Text element="p">{status.result.details.message}</Text>}
            {status.result.details?.verboseMessage && (
              <details>
                <summary>Details</summary>
                <pre>{status.result.details.verboseMessage}</pre>
              </details>
            )}
          </Alert>
        )}
        {status.state === 'failed' && (
          <Alert severity="error" title={status.message} data-testid="health-check-result" data-status="error" />
        )}
      </div>
      <Stack direction="row" gap={2}>
        <Button variant="secondary" fill="outline" onClick={() => history.back()}>
          Back
        </Button>
        <Button variant="primary" type="submit" onClick={saveAndTest} disabled={status.state === 'testing'}>
          Save &amp; test
        </Button>
      </Stack>
    </HostFrame>
  );
}

function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const { status, data } = error as { status: number; data?: { message?: string } };
    return `HTTP ${status}${data?.message ? `: ${data.message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

const getStyles = (theme: GrafanaTheme2) => ({
  result: css({
    margin: theme.spacing(3, 0, 2),
    maxWidth: 900,
  }),
});
