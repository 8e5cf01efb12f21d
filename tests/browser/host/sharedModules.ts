import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import lodash from 'lodash';
import React from 'react';
import ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

import { systemJs } from './systemjs';

/**
 * What Grafana hands to plugins instead of letting them bundle it (the externals of create-plugin's webpack
 * config that a plugin of ours can import). The objects are the same ones this bundle renders with, so there is
 * one React and one @grafana/ui theme context.
 */
export const SHARED_MODULES: Record<string, object> = {
  react: React,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  rxjs,
  'rxjs/operators': rxjsOperators,
  lodash,
  'react-router': reactRouter,
};

/**
 * Registers every shared module with SystemJS as `app:<name>` and maps the bare name to it, like Grafana's
 * plugin loader. `__useDefault` makes the AMD extra hand the module object itself to `define([...], factory)`.
 */
export function registerSharedModules(): string[] {
  const system = systemJs();
  const imports: Record<string, string> = {};
  for (const [name, module] of Object.entries(SHARED_MODULES)) {
    system.set(`app:${name}`, { ...module, default: module, __useDefault: true });
    imports[name] = `app:${name}`;
  }
  system.addImportMap({ imports });
  return Object.keys(SHARED_MODULES);
}
