import { describeRequest, planRequests } from './plan';

const kindsAndScopes = (requests: ReturnType<typeof planRequests>) =>
  requests.map((request) => `${request.resource.plural}@${request.namespace ?? '*'}`);

describe('planRequests', () => {
  it('lists every kind the annotations need, cluster-wide when no namespace is set', () => {
    expect(kindsAndScopes(planRequests('annotations', { namespaces: [], labelSelector: '' }))).toEqual([
      'rollouts@*',
      'replicasets@*',
      'analysisruns@*',
      'experiments@*',
      'events@*',
    ]);
  });

  it('reads the analysis runs and experiments that events may be recorded on', () => {
    expect(kindsAndScopes(planRequests('events', { namespaces: ['shop'], labelSelector: '' }))).toEqual([
      'rollouts@shop',
      'analysisruns@shop',
      'experiments@shop',
      'events@shop',
    ]);
  });

  it('reads for the revision history what the annotations read, so that the two can share a timeline', () => {
    expect(kindsAndScopes(planRequests('revisions', { namespaces: [], labelSelector: '' }))).toEqual(
      kindsAndScopes(planRequests('annotations', { namespaces: [], labelSelector: '' }))
    );
  });

  it('reads only what a table needs: for the analysis runs, the Experiments through which those of an experiment step belong to their Rollout', () => {
    expect(kindsAndScopes(planRequests('analysisRuns', { namespaces: ['shop'], labelSelector: '' }))).toEqual([
      'rollouts@shop',
      'analysisruns@shop',
      'experiments@shop',
    ]);
  });

  it('falls back to the default namespaces, and lists once per namespace', () => {
    expect(kindsAndScopes(planRequests('rollouts', { namespaces: [], labelSelector: '' }, ['a', 'b', 'a']))).toEqual([
      'rollouts@a',
      'rollouts@b',
      'replicasets@a',
      'replicasets@b',
    ]);
  });

  it('sends the label selector with the Rollouts list only', () => {
    const requests = planRequests('events', { namespaces: ['shop'], labelSelector: 'team=pay' });
    expect(requests.map((request) => request.labelSelector)).toEqual(['team=pay', undefined, undefined, undefined]);
  });
});

describe('describeRequest', () => {
  it('shows the path and what RBAC has to allow', () => {
    const [rollouts] = planRequests('rollouts', { namespaces: ['shop'], labelSelector: 'team in (a,b)' });
    expect(describeRequest(rollouts)).toBe(
      'GET /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts?labelSelector=team+in+%28a%2Cb%29   (list rollouts.argoproj.io in namespace shop)'
    );
  });

  it('asks the API server for the Events about Argo Rollouts objects only', () => {
    const events = planRequests('events', { namespaces: [], labelSelector: '' }).find(
      (r) => r.resource.plural === 'events'
    );
    expect(describeRequest(events!)).toBe(
      'GET /api/v1/events?fieldSelector=involvedObject.apiVersion%3Dargoproj.io%2Fv1alpha1   (list events in all namespaces)'
    );
  });
});
