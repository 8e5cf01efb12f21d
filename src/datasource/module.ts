import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/config/ConfigEditor';
import { QueryEditor } from './components/query/QueryEditor';
import { DataSource } from './datasource';
import type { RolloutLensJsonData, RolloutLensQuery, RolloutLensSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<
  DataSource,
  RolloutLensQuery,
  RolloutLensJsonData,
  RolloutLensSecureJsonData
>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
