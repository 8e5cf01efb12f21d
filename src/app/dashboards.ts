/** The dashboards the app bundles (src/dashboards/, listed in src/plugin.json): their uids never change. */
export const BUNDLED_DASHBOARDS = [
  {
    uid: 'rolloutlens-overview',
    title: 'Argo Rollouts overview',
    description:
      'Every rollout of a cluster: canary weights and annotations by outcome, status, revision history, analysis runs, events.',
  },
  {
    uid: 'rolloutlens-rollout-detail',
    title: 'Rollout detail',
    description:
      'One rollout: its canary weight with its annotations, steps and timeline, revisions, analysis runs, events.',
  },
] as const;

export const dashboardUrl = (uid: string) => `/d/${uid}`;
