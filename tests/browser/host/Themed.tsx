import React, { type ReactNode } from 'react';
import { config } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

/** Grafana's theme and global styles around a page of the harness, as Grafana's app provides them. */
export function Themed({ children }: { children: ReactNode }) {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      {children}
    </ThemeContext.Provider>
  );
}
