import { describeRequest, planRequests } from './plan';

const kindsAndScopes = (requests: ReturnType<typeof planRequests>) =>
  requests.map((request) => `${request.resource.plural}@${request.namespace ?? '*'}`);

describe('planRequests', () => {
  it('lists every kind the annotations need, cluster-wide when no namespace is set', () => {
    expect(kindsAndScopes(planRequests('annotations', { namespaces: [] }))).toEqual([
      'rollouts@*',
      'replicasets@*',
      'analysisruns@*',
      'experiments@*',
      'events@*',
    ]);
  });

  it('reads the analysis runs and experiments that events may be recorded on', () => {
    expect(kindsAndScopes(planRequests('events', { namespaces: ['shop'] }))).toEqual([
      'rollouts@shop',
      'analysisruns@shop',
      'experiments@shop',
      'events@shop',
    ]);
  });

  it('reads for the revision history what the annotations read, so that the two can share a timeline', () => {
    expect(kindsAndScopes(planRequests('revisions', { namespaces: [] }))).toEqual(
      kindsAndScopes(planRequests('annotations', { namespaces: [] }))
    );
  });

  it('reads only what a table needs: for the analysis runs, the Experiments through which those of an experiment step belong to their Rollout', () => {
    expect(kindsAndScopes(planRequests('analysisRuns', { namespaces: ['shop'] }))).toEqual([
      'rollouts@shop',
      'analysisruns@shop',
      'experiments@shop',
    ]);
  });

  it('falls back to the default namespaces, and lists once per namespace', () => {
    expect(kindsAndScopes(planRequests('rollouts', { namespaces: [] }, ['a', 'b', 'a']))).toEqual([
      'rollouts@a',
      'rollouts@b',
      'replicasets@a',
      'replicasets@b',
    ]);
  });

  it("lists only the ReplicaSets Argo Rollouts owns, and never sends a query's label selector", () => {
    const requests = planRequests('rollouts', { namespaces: ['shop'] });
    expect(requests.map((request) => [request.resource.plural, request.labelSelector])).toEqual([
      ['rollouts', undefined],
      ['replicasets', 'rollouts-pod-template-hash'],
    ]);
  });
});

describe('describeRequest', () => {
  it('shows the path and what RBAC has to allow', () => {
    const [, replicaSets] = planRequests('rollouts', { namespaces: ['shop'] });
    expect(describeRequest(replicaSets)).toBe(
      'GET /apis/apps/v1/namespaces/shop/replicasets?labelSelector=rollouts-pod-template-hash   (list and watch replicasets.apps in namespace shop)'
    );
  });

  it('asks the API server for the Events about Argo Rollouts objects only', () => {
    const events = planRequests('events', { namespaces: [] }).find((r) => r.resource.plural === 'events');
    expect(describeRequest(events!)).toBe(
      'GET /api/v1/events?fieldSelector=involvedObject.apiVersion%3Dargoproj.io%2Fv1alpha1   (list and watch events in all namespaces)'
    );
  });
});
