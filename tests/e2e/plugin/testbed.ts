import fs from 'node:fs';
import path from 'node:path';

import type { DataSourceInstanceSettings } from '@grafana/data';

import { DataSource } from '../../../src/datasource/datasource';
import { createKubeClient } from '../../../src/datasource/kube/client';
import type { RolloutLensJsonData } from '../../../src/datasource/types';
import { PROXY_BASE_URL, proxyFetch } from './proxy-stand-in';

/** The running test bed's connection files (tests/testbed/start.sh), as the plugin's read-only identity sees it. */
export function readTestbed(runDir = process.env.ROLLOUT_LENS_RUN_DIR) {
  if (!runDir) {
    throw new Error('ROLLOUT_LENS_RUN_DIR must name the run directory of a started test bed');
  }
  const read = (file: string) => fs.readFileSync(path.join(runDir, file), 'utf8').trim();
  return {
    apiServerUrl: read('apiserver-url'),
    token: read('plugin-token'),
    caCert: read('ca.crt'),
    adminToken: read('admin-token'),
  };
}

export function testbedDataSource(jsonData: RolloutLensJsonData = {}) {
  const testbed = readTestbed();
  const proxy = proxyFetch(testbed);
  const settings = {
    id: 1,
    uid: 'testbed',
    name: 'Test bed',
    type: 'rolloutlens-argorollouts-datasource',
    url: PROXY_BASE_URL,
    access: 'proxy',
    jsonData: { apiServerUrl: testbed.apiServerUrl, clusterName: 'testbed', ...jsonData },
    meta: {},
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<RolloutLensJsonData>;
  const kube = createKubeClient({ baseUrl: `${PROXY_BASE_URL}/kube`, fetch: proxy.fetch, cacheTtlMs: 0 });
  const replaceVariables = (target: string) => target;
  return { dataSource: new DataSource(settings, replaceVariables, kube), proxy, testbed };
}
