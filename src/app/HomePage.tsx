import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { LinkButton, TextLink, useStyles2 } from '@grafana/ui';

import { APP_ID, NEW_DATASOURCE_URL } from '../constants';
import { BUNDLED_DASHBOARDS, dashboardUrl } from './dashboards';

const APPLY_RBAC = `kubectl apply -f deploy/namespace.yaml -f deploy/cluster-reader.yaml
kubectl -n rollout-lens get secret rollout-lens-reader-token -o jsonpath='{.data.token}' | base64 -d`;

const PLUGIN_DASHBOARDS_URL = `/plugins/${APP_ID}?page=dashboards`;

export function HomePage() {
  const styles = useStyles2(getStyles);
  return (
    <PluginPage>
      <div className={styles.page}>
        <p>
          Rollout Lens shows Argo Rollouts deployments on your dashboards: a marker for every rollout event and a region
          for every rollout and analysis run, plus tables of rollouts, revisions, events and analysis runs. It reads the
          Kubernetes API through Grafana with a read-only ServiceAccount; nothing runs in your cluster.
        </p>
        <h3>Quick start</h3>
        <ol className={styles.steps}>
          <li>
            Create the read-only identity in the cluster (files from the plugin&apos;s <code>deploy/</code> folder) and
            copy its token:
            <pre className={styles.code}>{APPLY_RBAC}</pre>
          </li>
          <li>
            Add an <strong>Argo Rollouts</strong> data source per cluster: API server URL, the token and the cluster CA
            certificate (or import a kubeconfig), then <em>Save &amp; test</em>.
            <div className={styles.action}>
              <LinkButton href={NEW_DATASOURCE_URL} icon="plus">
                Add data source
              </LinkButton>
            </div>
          </li>
          <li>
            Open the bundled dashboards (a data source variable picks the cluster). Grafana imports them when the app is
            enabled, and updates them when a new version of the app brings a new revision; to get back one you deleted
            or changed, import it again from the plugin&apos;s <em>Dashboards</em> tab.
            <ul className={styles.dashboards}>
              {BUNDLED_DASHBOARDS.map((dashboard) => (
                <li key={dashboard.uid}>
                  <LinkButton href={dashboardUrl(dashboard.uid)} variant="secondary" fill="text" icon="apps">
                    {dashboard.title}
                  </LinkButton>
                  {dashboard.description}
                </li>
              ))}
            </ul>
            <div className={styles.action}>
              <LinkButton href={PLUGIN_DASHBOARDS_URL} variant="secondary" icon="import">
                Import dashboards
              </LinkButton>
            </div>
          </li>
          <li>
            On your own dashboards, open <em>Settings → Annotations → New query</em>, pick the Argo Rollouts data source
            and add one query per colour with the same filters, splitting the outcomes between them as the bundled
            dashboards do (in progress blue; succeeded green; failed, aborted or degraded red; rolled back orange;
            everything else gray), so that every entry is drawn once.
          </li>
        </ol>
        <p>
          More in the{' '}
          <TextLink
            href="https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/annotate-visualizations/"
            external
          >
            Grafana annotations documentation
          </TextLink>
          .
        </p>
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 880 }),
  steps: css({ paddingLeft: theme.spacing(3), '& > li': { marginBottom: theme.spacing(2) } }),
  code: css({ marginTop: theme.spacing(1), whiteSpace: 'pre-wrap' }),
  action: css({ marginTop: theme.spacing(1) }),
  dashboards: css({ marginTop: theme.spacing(1), listStyle: 'none' }),
});
