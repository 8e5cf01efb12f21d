import React, { useSyncExternalStore } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import type { EmbeddedScene } from '@grafana/scenes';
import { LinkButton, Stack, Text, useStyles2 } from '@grafana/ui';

import type { DashboardJson, DashboardLinkJson } from './dashboardToScene';

export const LIBRARY_LABEL = "Grafana's dashboard library outside Grafana";

/**
 * A dashboard link's URL with the current time range (`keepTime`) and variable values (`includeVars`) appended,
 * as Grafana's dashboard links do. The page's URL holds both: the scene keeps it in sync.
 */
export function linkUrl(link: DashboardLinkJson, search: URLSearchParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of search) {
    if ((link.keepTime && (key === 'from' || key === 'to')) || (link.includeVars && key.startsWith('var-'))) {
      params.append(key, value);
    }
  }
  const query = params.toString();
  const url = link.url ?? '';
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

const subscribeToLocation = (onChange: () => void) => locationService.getHistory().listen(onChange);
const currentSearch = () => locationService.getLocation().search;

function DashboardLinks({ links }: { links: DashboardLinkJson[] }) {
  const search = new URLSearchParams(useSyncExternalStore(subscribeToLocation, currentSearch));
  return (
    <>
      {links
        .filter((link) => link.type === 'link' && link.url)
        .map((link) => (
          <LinkButton
            key={link.title}
            href={linkUrl(link, search)}
            icon="apps"
            variant="secondary"
            size="sm"
            tooltip={link.tooltip}
            data-testid="dashboard-link"
          >
            {link.title}
          </LinkButton>
        ))}
    </>
  );
}

interface Props {
  dashboard: DashboardJson;
  scene: EmbeddedScene;
}

/** The page around a dashboard: what it is, the dashboard's title and links, then the scene itself. */
export function DashboardPage({ dashboard, scene }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page}>
      <header className={styles.topBar}>
        <span className={styles.badge} data-testid="library-label">
          {LIBRARY_LABEL}
        </span>
        <Text color="secondary">
          @grafana/scenes renders Rollout Lens&apos;s bundled dashboard; the plugin is loaded from dist/ and every
          request goes through the Grafana stand-in&apos;s data source proxy
        </Text>
      </header>
      <main className={styles.content}>
        <Stack direction="row" gap={2} alignItems="center" wrap>
          <Text element="h1" variant="h2">
            {dashboard.title}
          </Text>
          <DashboardLinks links={dashboard.links ?? []} />
        </Stack>
        <scene.Component model={scene} />
      </main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ minHeight: '100vh', background: theme.colors.background.canvas }),
  topBar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    minHeight: 40,
    padding: theme.spacing(0.5, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  badge: css({
    padding: theme.spacing(0.25, 1.5),
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.primary.transparent,
    border: `1px solid ${theme.colors.primary.border}`,
    color: theme.colors.text.primary,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  content: css({ padding: theme.spacing(2, 3), display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
