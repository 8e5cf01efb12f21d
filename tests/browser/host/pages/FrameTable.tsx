import React, { useMemo } from 'react';
import { applyFieldOverrides, type DataFrame, getFieldDisplayName } from '@grafana/data';
import { Table, useTheme2 } from '@grafana/ui';

interface Props {
  frame: DataFrame;
  /** Narrowest a column may get, in px (Grafana's default is 150). */
  minColumnWidth?: number;
  /** Widths by column title, as a dashboard's field overrides would set them. */
  columnWidths?: Record<string, number>;
  width: number;
  height: number;
}

/** A frame in @grafana/ui's Table, after the field overrides a panel applies (display processors, theme). */
export function FrameTable({ frame, minColumnWidth = 150, columnWidths = {}, width, height }: Props) {
  const theme = useTheme2();
  const prepared = useMemo(() => {
    const [processed] = applyFieldOverrides({
      data: [frame],
      fieldConfig: { defaults: {}, overrides: [] },
      replaceVariables: (value) => value,
      theme,
      timeZone: 'utc',
    });
    // `custom.width` belongs to the table panel's options, which a bare applyFieldOverrides does not know.
    const fields = processed.fields.map((field) => {
      const width = columnWidths[getFieldDisplayName(field, processed)];
      return width ? { ...field, config: { ...field.config, custom: { ...field.config.custom, width } } } : field;
    });
    return { ...processed, fields };
  }, [frame, columnWidths, theme]);
  return <Table data={prepared} width={width} height={height} columnMinWidth={minColumnWidth} />;
}
