// The components a real-stack check can run against: the `against` list of every check in
// test-results/e2e-report.json uses these names and no others. A check "involves only real components" when its
// list names no stand-in. An unknown name is an error, so a typo cannot pass for a real component.

/** @type {Record<string, {standIn: boolean, what: string}>} */
export const COMPONENTS = Object.freeze({
  'kube-apiserver': { standIn: false, what: 'Kubernetes API server, built from k8s.io/kubernetes' },
  etcd: { standIn: false, what: "etcd, the API server's storage, built from go.etcd.io/etcd/server/v3" },
  'kube-controller-manager': {
    standIn: false,
    what: 'ReplicaSet, ServiceAccount, token, namespace and garbage-collection controllers',
  },
  'kube-scheduler': { standIn: false, what: 'binds Pods to the kwok Node' },
  kwok: { standIn: false, what: 'keeps the Node Ready and moves its Pods to Running/Ready (sigs.k8s.io/kwok)' },
  'argo-rollouts': { standIn: false, what: 'the Argo Rollouts controller and its CRDs' },
  chromium: { standIn: false, what: "Debian's Chromium, driven by playwright-core" },
  'grafana-scenes': { standIn: false, what: "Grafana's published @grafana/scenes" },
  'grafana-ui': { standIn: false, what: "Grafana's published @grafana/ui and @grafana/data drawing" },
  grafana: { standIn: false, what: "Grafana's own server, when a run is pointed at one (it cannot be built here)" },
  'grafana-stand-in': { standIn: true, what: "tests/grafana-stand-in: our stand-in for Grafana's server" },
  'proxy-stand-in': {
    standIn: true,
    what: "tests/e2e/plugin/proxy-stand-in.ts: our in-process stand-in for Grafana's data source proxy",
  },
  'browser-host': { standIn: true, what: "tests/browser/host: our page standing in for Grafana's UI" },
});

/** The API server and its storage: what a check that only reads and writes API objects needs. */
export const KUBE_API = Object.freeze(['kube-apiserver', 'etcd']);

/** The whole test bed: what a check needs that depends on what the controllers did. */
export const TEST_BED = Object.freeze([
  'kube-apiserver',
  'etcd',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'argo-rollouts',
]);

export const isStandIn = (name) => COMPONENTS[name]?.standIn === true;

/**
 * Validates an `against` list and returns it without duplicates, in vocabulary order. Throws on anything but a
 * non-empty array of known names.
 */
export function againstList(against, where = 'a check') {
  if (!Array.isArray(against) || against.length === 0) {
    throw new Error(`${where}: "against" must list the components it runs against (tests/e2e/lib/components.mjs)`);
  }
  const unknown = against.filter((name) => !Object.hasOwn(COMPONENTS, name));
  if (unknown.length > 0) {
    throw new Error(
      `${where}: unknown component ${unknown.map((n) => JSON.stringify(n)).join(', ')} in "against"; ` +
        `known: ${Object.keys(COMPONENTS).join(', ')}`
    );
  }
  return Object.keys(COMPONENTS).filter((name) => against.includes(name));
}

/** True when the check ran against at least one component and none of them is a stand-in. */
export const onlyRealComponents = (against) =>
  Array.isArray(against) &&
  against.length > 0 &&
  against.every((name) => Object.hasOwn(COMPONENTS, name) && !isStandIn(name));
