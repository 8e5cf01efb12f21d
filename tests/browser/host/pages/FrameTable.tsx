import React, { useMemo } from 'react';
import { applyFieldOverrides, type DataFrame } from '@grafana/data';
import { Table, useTheme2 } from '@grafana/ui';

interface Props {
  frame: DataFrame;
  width: number;
  height: number;
}

/** A frame in @grafana/ui's Table, after the field overrides a panel applies (display processors, theme). */
export function FrameTable({ frame, width, height }: Props) {
  const theme = useTheme2();
  const [prepared] = useMemo(
    () =>
      applyFieldOverrides({
        data: [frame],
        fieldConfig: { defaults: {}, overrides: [] },
        replaceVariables: (value) => value,
        theme,
        timeZone: 'utc',
      }),
    [frame, theme]
  );
  return <Table data={prepared} width={width} height={height} />;
}
