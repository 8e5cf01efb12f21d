import React, { useState } from 'react';
import { CoreApp, type DataFrame, type DataQueryError, type DataSourceApi } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import { Alert, Button, Stack } from '@grafana/ui';

import { lastHours, runQuery } from '../query';
import { FrameTable } from './FrameTable';
import type { AnyDataSourcePlugin } from '../pluginLoader';
import { HostFrame } from './HostFrame';

interface Props {
  plugin: AnyDataSourcePlugin;
  dataSource: DataSourceApi<DataQuery>;
  initialQuery: DataQuery;
}

type Result =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; frames: DataFrame[]; errors: DataQueryError[] }
  | { state: 'failed'; message: string };

/** The identifying columns of our tables get room; the rest share what is left (the table scrolls sideways). */
const COLUMN_WIDTHS = { Namespace: 190, Rollout: 150, Message: 240 };

/** Explore, reduced: the plugin's QueryEditor, "Run query", and the first frame in a Grafana table. */
export function TablePage({ plugin, dataSource, initialQuery }: Props) {
  const [query, setQuery] = useState<DataQuery>(initialQuery);
  const [result, setResult] = useState<Result>({ state: 'idle' });
  const QueryEditor = plugin.components.QueryEditor;

  const run = async () => {
    setResult({ state: 'running' });
    try {
      const response = await runQuery(dataSource, [query], lastHours(6), CoreApp.Explore);
      setResult({ state: 'done', frames: response.data, errors: response.errors ?? [] });
    } catch (error) {
      setResult({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <HostFrame trail={['Home', 'Explore']} title="Explore" subtitle={`Data source: ${dataSource.name}`}>
      <Stack direction="column" gap={2}>
        <div data-testid="query-editor">
          {QueryEditor && (
            <QueryEditor datasource={dataSource} query={query} onChange={setQuery} onRunQuery={() => undefined} />
          )}
        </div>
        <div>
          <Button onClick={run} icon="sync" disabled={result.state === 'running'}>
            Run query
          </Button>
        </div>
        {result.state === 'failed' && <Alert severity="error" title={result.message} data-testid="query-error" />}
        {result.state === 'done' && result.errors.length > 0 && (
          <Alert severity="error" title={result.errors.map((e) => e.message).join('; ')} data-testid="query-error" />
        )}
        {result.state === 'done' && result.frames[0] && (
          <div data-testid="result-table" data-rows={result.frames[0].length}>
            <FrameTable
              frame={result.frames[0]}
              minColumnWidth={110}
              columnWidths={COLUMN_WIDTHS}
              width={1140}
              height={360}
            />
          </div>
        )}
      </Stack>
    </HostFrame>
  );
}
