// The "table" panel of a dashboard, drawn with @grafana/ui's Table. Grafana's own table panel
// (public/app/plugins/panel/table) is core code, not on npm: this registers what our dashboards use as a runtime
// panel plugin of @grafana/scenes, so that VizPanel applies the dashboard's field config and overrides to the data
// (applyFieldOverrides with this plugin's registry) exactly as for any panel. The custom field options are the
// table panel's names and defaults for what the bundled dashboards set: align, cellOptions, inspect, filterable,
// hidden, width, minWidth.
import React from 'react';
import { css } from '@emotion/css';
import {
  FieldConfigProperty,
  getFieldDisplayName,
  identityOverrideProcessor,
  PanelPlugin,
  type PanelProps,
} from '@grafana/data';
import { TableCellDisplayMode, type TableCellHeight, type TableSortByFieldState } from '@grafana/schema';
import { Table } from '@grafana/ui';

export interface TableOptions {
  showHeader?: boolean;
  cellHeight?: TableCellHeight;
  sortBy?: TableSortByFieldState[];
}

interface TableFieldConfig {
  align?: 'auto' | 'left' | 'center' | 'right';
  cellOptions?: { type: TableCellDisplayMode };
  inspect?: boolean;
  filterable?: boolean;
  hidden?: boolean;
  width?: number;
  minWidth?: number;
}

const noEditor = () => null;
const styles = {
  noData: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%' }),
};

function TablePanel({
  data,
  width,
  height,
  options,
  fieldConfig,
  replaceVariables,
  timeRange,
  id,
}: PanelProps<TableOptions>) {
  const frame = data.series[0];
  if (!frame || frame.length === 0) {
    return (
      <div className={styles.noData} data-testid={`panel-${id}-no-data`}>
        No data
      </div>
    );
  }
  return (
    <div
      data-testid={`panel-${id}-table`}
      data-rows={frame.length}
      data-columns={frame.fields.map((f) => getFieldDisplayName(f, frame)).join('\u001f')}
    >
      <Table
        data={frame}
        width={width}
        height={height}
        noHeader={options.showHeader === false}
        cellHeight={options.cellHeight}
        initialSortBy={options.sortBy}
        resizable
        timeRange={timeRange}
        fieldConfig={fieldConfig}
        replaceVariables={replaceVariables}
      />
    </div>
  );
}

export const tablePanel = new PanelPlugin<TableOptions, TableFieldConfig>(TablePanel).useFieldConfig({
  standardOptions: { [FieldConfigProperty.Color]: { defaultValue: { mode: 'thresholds' } } },
  useCustomConfig: (builder) =>
    builder
      .addNumberInput({ path: 'minWidth', name: 'Minimum column width', defaultValue: 150 })
      .addNumberInput({ path: 'width', name: 'Column width' })
      .addRadio({
        path: 'align',
        name: 'Column alignment',
        defaultValue: 'auto',
        settings: {
          options: ['auto', 'left', 'center', 'right'].map((value) => ({ value, label: value })),
        },
      })
      .addCustomEditor({
        id: 'cellOptions',
        path: 'cellOptions',
        name: 'Cell type',
        editor: noEditor,
        override: noEditor,
        process: identityOverrideProcessor,
        shouldApply: () => true,
        defaultValue: { type: TableCellDisplayMode.Auto },
      })
      .addBooleanSwitch({ path: 'inspect', name: 'Cell value inspect', defaultValue: false })
      .addBooleanSwitch({ path: 'filterable', name: 'Column filter', defaultValue: false })
      .addBooleanSwitch({ path: 'hidden', name: 'Hide in table', defaultValue: undefined, hideFromDefaults: true }),
});
