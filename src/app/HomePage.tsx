import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { LinkButton, TextLink, useStyles2 } from '@grafana/ui';

import { NEW_DATASOURCE_URL } from '../constants';

const APPLY_RBAC = `kubectl apply -f deploy/namespace.yaml -f deploy/cluster-reader.yaml
kubectl -n rollout-lens get secret rollout-lens-reader-token -o jsonpath='{.data.token}' | base64 -d`;

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
            Create the read-only identity in the cluster and copy its token:
            <pre className={styles.code}>{APPLY_RBAC}</pre>
          </li>
          <li>
            Add an <strong>Argo Rollouts</strong> data source: API server URL, the token and the cluster CA certificate
            (or import a kubeconfig), then <em>Save &amp; test</em>.
            <div className={styles.action}>
              <LinkButton href={NEW_DATASOURCE_URL} icon="plus">
                Add data source
              </LinkButton>
            </div>
          </li>
          <li>
            On any dashboard, open <em>Settings → Annotations → New query</em> and pick the Argo Rollouts data source.
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
});
