// The "timeseries" panel of a dashboard: @grafana/ui's TimeSeries (uPlot) with the dashboard's annotations drawn as
// Grafana's time series panel draws them (./annotations.tsx). Grafana's own panel
// (public/app/plugins/panel/timeseries) is core code, not on npm; this runtime panel plugin of @grafana/scenes
// declares the graph field options our dashboards set, with the defaults of Grafana's time series panel, and asks
// VizPanel for the annotations (dataSupport.annotations), which SceneQueryRunner merges in from the dashboard's
// annotation layers.
import React from 'react';
import { css } from '@emotion/css';
import { FieldType, PanelPlugin, type PanelProps } from '@grafana/data';
import { GraphDrawStyle, LegendDisplayMode, type VizLegendOptions, VisibilityMode } from '@grafana/schema';
import { TimeSeries } from '@grafana/ui';

import { AnnotationsPlugin } from './annotations';

export interface TimeSeriesOptions {
  legend?: Partial<VizLegendOptions>;
}

interface GraphFieldConfig {
  drawStyle?: GraphDrawStyle;
  lineWidth?: number;
  fillOpacity?: number;
  showPoints?: VisibilityMode;
  pointSize?: number;
  spanNulls?: boolean;
}

const styles = {
  noData: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%' }),
};

function TimeSeriesPanel({ data, width, height, options, timeRange, timeZone, id }: PanelProps<TimeSeriesOptions>) {
  const frames = data.series.filter((frame) => frame.fields.some((f) => f.type === FieldType.time) && frame.length > 0);
  if (frames.length === 0) {
    return (
      <div className={styles.noData} data-testid={`panel-${id}-no-data`}>
        No data
      </div>
    );
  }
  const legend: VizLegendOptions = {
    showLegend: true,
    displayMode: LegendDisplayMode.List,
    placement: 'bottom',
    calcs: [],
    ...options.legend,
  };
  return (
    <div data-testid={`panel-${id}-timeseries`}>
      <TimeSeries
        frames={frames}
        structureRev={data.structureRev}
        timeRange={timeRange}
        timeZone={timeZone}
        width={width}
        height={height}
        legend={legend}
        options={options}
      >
        {(config) => <AnnotationsPlugin config={config} annotations={data.annotations ?? []} timeZone={timeZone} />}
      </TimeSeries>
    </div>
  );
}

export const timeSeriesPanel = new PanelPlugin<TimeSeriesOptions, GraphFieldConfig>(TimeSeriesPanel)
  .setDataSupport({ annotations: true, alertStates: false })
  .useFieldConfig({
    useCustomConfig: (builder) =>
      builder
        .addRadio({
          path: 'drawStyle',
          name: 'Style',
          defaultValue: GraphDrawStyle.Line,
          settings: { options: Object.values(GraphDrawStyle).map((value) => ({ value, label: value })) },
        })
        .addSliderInput({ path: 'lineWidth', name: 'Line width', defaultValue: 1 })
        .addSliderInput({ path: 'fillOpacity', name: 'Fill opacity', defaultValue: 0 })
        .addRadio({
          path: 'showPoints',
          name: 'Show points',
          defaultValue: VisibilityMode.Auto,
          settings: { options: Object.values(VisibilityMode).map((value) => ({ value, label: value })) },
        })
        .addSliderInput({ path: 'pointSize', name: 'Point size', defaultValue: 5 })
        .addBooleanSwitch({ path: 'spanNulls', name: 'Connect null values', defaultValue: false }),
  });
