/**
 * @jest-environment node
 */
import Ajv from 'ajv';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';

import { OUTCOME_PRESETS } from './datasource/timeline/defaults';

const repoRoot = path.resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8'));
const readYamlDocuments = (file: string): unknown[] =>
  parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS());
const yamlFilesUnder = (dir: string): string[] =>
  fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(repoRoot, dir, name));

const appPluginJson = readJson('src/plugin.json');
const dataSourcePluginJson = readJson('src/datasource/plugin.json');

describe('plugin.json files', () => {
  const schema = readJson('../shared/schemas/plugin.schema.json');
  // The schema's patterns use escapes such as \- that are invalid in unicode mode but fine in plain regular expressions.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(schema);

  it.each([
    ['app', appPluginJson],
    ['data source', dataSourcePluginJson],
  ])('the %s plugin.json validates against Grafana plugin schema', (_name, pluginJson) => {
    const valid = validate(pluginJson);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a plugin.json the schema forbids, so the validation above can fail', () => {
    expect(validate({ ...dataSourcePluginJson, id: 'rolloutlens-argo-rollouts-datasource' })).toBe(false);
    expect(validate({ ...dataSourcePluginJson, unknownKey: true })).toBe(false);
  });

  it('uses the ids and names of the design', () => {
    expect(appPluginJson).toMatchObject({ id: 'rolloutlens-argorollouts-app', type: 'app', name: 'Rollout Lens' });
    expect(dataSourcePluginJson).toMatchObject({
      id: 'rolloutlens-argorollouts-datasource',
      type: 'datasource',
      name: 'Argo Rollouts',
      annotations: true,
      metrics: true,
    });
    expect(appPluginJson.includes).toContainEqual(
      expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' })
    );
  });

  it('requires Grafana 12.3 or newer in both plugins', () => {
    expect(appPluginJson.dependencies.grafanaDependency).toBe('>=12.3.0');
    expect(dataSourcePluginJson.dependencies.grafanaDependency).toBe('>=12.3.0');
  });
});

describe('data source proxy routes', () => {
  type Route = { path: string; method: string; url: string; headers?: Array<{ name: string; content: string }> };
  const routes: Route[] = dataSourcePluginJson.routes;

  it('reads with GET only, except one POST for SelfSubjectAccessReview', () => {
    const nonGet = routes.filter((route) => route.method !== 'GET');
    expect(nonGet).toEqual([
      expect.objectContaining({ method: 'POST', path: 'kube/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' }),
    ]);
    expect(nonGet[0].url).toBe('{{ .JsonData.apiServerUrl }}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    routes.forEach((route) => expect(route.method).toMatch(/^(GET|POST)$/));
  });

  it('sends every request under our own prefix to the configured API server, never to the data source url', () => {
    routes.forEach((route) => {
      expect(route.path.startsWith('kube')).toBe(true);
      expect(route.url.startsWith('{{ .JsonData.apiServerUrl }}')).toBe(true);
    });
    expect(dataSourcePluginJson.url).toBeUndefined();
  });

  it('adds the bearer token only when one is stored', () => {
    routes.forEach((route) => {
      expect(route.headers).toEqual([
        {
          name: 'Authorization',
          content: '{{ if .SecureJsonData.token }}Bearer {{ .SecureJsonData.token }}{{ end }}',
        },
      ]);
    });
  });
});

describe('provisioning examples', () => {
  const secretKeys = ['token', 'tlsCACert', 'tlsClientCert', 'tlsClientKey', 'password', 'basicAuthPassword'];
  const files = yamlFilesUnder('provisioning');
  type ProvisionedDataSource = {
    type: string;
    jsonData?: Record<string, unknown>;
    secureJsonData?: Record<string, string>;
  };
  const dataSources = files.flatMap((file) =>
    readYamlDocuments(file).flatMap((doc) =>
      ((doc as { datasources?: ProvisionedDataSource[] })?.datasources ?? []).map((ds) => ({ file, ds }))
    )
  );

  it('provision at least the env-based and the in-cluster data source', () => {
    expect(dataSources.length).toBeGreaterThanOrEqual(2);
    dataSources.forEach(({ ds }) => expect(ds.type).toBe('rolloutlens-argorollouts-datasource'));
  });

  it('never put a secret into jsonData', () => {
    dataSources.forEach(({ ds }) => {
      const jsonData = ds.jsonData ?? {};
      secretKeys.forEach((key) => expect(jsonData).not.toHaveProperty(key));
      Object.values(jsonData).forEach((value) => expect(String(value)).not.toMatch(/BEGIN |eyJ/));
    });
  });

  it('take secrets from environment variables or mounted files, never literal values', () => {
    dataSources.forEach(({ ds }) => {
      Object.values(ds.secureJsonData ?? {}).forEach((value) =>
        expect(value).toMatch(/^(\$\{[A-Z_]+\}|\$[A-Z_]+|\$__file\{[^}]+\})$/)
      );
    });
  });

  it('enable the app so that its nested data source can be used', () => {
    const apps = files.flatMap((file) =>
      readYamlDocuments(file).flatMap(
        (doc) => (doc as { apps?: Array<{ type: string; disabled?: boolean }> })?.apps ?? []
      )
    );
    expect(apps).toContainEqual(expect.objectContaining({ type: 'rolloutlens-argorollouts-app', disabled: false }));
  });
});

describe('deploy manifests', () => {
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
  type Manifest = { kind: string; rules?: Rule[]; type?: string };
  const manifests = yamlFilesUnder('deploy').flatMap((file) => readYamlDocuments(file) as Manifest[]);
  const rules = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role').flatMap((m) => m.rules ?? []);

  it('grant no verb beyond get, list and watch', () => {
    expect(rules.length).toBeGreaterThan(0);
    rules.forEach((rule) => rule.verbs.forEach((verb) => expect(['get', 'list', 'watch']).toContain(verb)));
  });

  it('grant nothing on Secrets and no wildcard', () => {
    rules.forEach((rule) => {
      expect(rule.resources).not.toContain('secrets');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
    });
  });

  it('cover every resource the plugin reads', () => {
    const clusterRules = manifests.find((m) => m.kind === 'ClusterRole')?.rules ?? [];
    const granted = clusterRules.flatMap((rule) => rule.resources.map((r) => `${rule.apiGroups[0]}/${r}`));
    [
      'argoproj.io/rollouts',
      'argoproj.io/analysisruns',
      'argoproj.io/experiments',
      'apps/replicasets',
      '/events',
      '/namespaces',
    ].forEach((resource) => expect(granted).toContain(resource));
  });

  it('include a long-lived token Secret for Kubernetes 1.24 and newer', () => {
    expect(manifests).toContainEqual(
      expect.objectContaining({ kind: 'Secret', type: 'kubernetes.io/service-account-token' })
    );
  });
});

describe('bundled dashboards', () => {
  type DataSourceRef = { type?: string; uid?: string };
  type Dashboard = {
    uid: string;
    title: string;
    schemaVersion: number;
    links: Array<{ url: string; includeVars: boolean; keepTime: boolean }>;
    templating: { list: Array<{ name: string; type: string; query?: unknown; datasource?: DataSourceRef }> };
    annotations: {
      list: Array<{
        name: string;
        builtIn?: number;
        iconColor: string;
        datasource: DataSourceRef;
        target?: { outcomes?: string[] };
      }>;
    };
    panels: Array<{
      title: string;
      type: string;
      datasource: DataSourceRef;
      targets: Array<{ datasource: DataSourceRef; queryType?: string; metric?: string }>;
    }>;
  };
  const includes: Array<{ type: string; name: string; path: string }> = appPluginJson.includes.filter(
    (include: { type: string }) => include.type === 'dashboard'
  );
  const dashboards = includes.map((include) => ({
    include,
    dashboard: readJson(path.join('src', include.path)) as Dashboard,
  }));
  const OURS = { type: 'rolloutlens-argorollouts-datasource', uid: '${datasource}' };

  it('lists the overview and the rollout detail dashboard in the app, each with its own stable uid', () => {
    expect(includes.map((include) => include.path).sort()).toEqual([
      'dashboards/overview.json',
      'dashboards/rollout-detail.json',
    ]);
    expect(dashboards.map(({ dashboard }) => dashboard.uid).sort()).toEqual([
      'rolloutlens-overview',
      'rolloutlens-rollout-detail',
    ]);
    dashboards.forEach(({ include, dashboard }) => {
      expect(dashboard.title).toBe(include.name);
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    });
  });

  it('take the cluster from a data source variable and the namespace and rollout from this plugin', () => {
    dashboards.forEach(({ dashboard }) => {
      const [cluster, namespace, rollout] = dashboard.templating.list;
      expect(cluster).toMatchObject({ name: 'datasource', type: 'datasource', query: OURS.type });
      expect(namespace).toMatchObject({ name: 'namespace', datasource: OURS, query: { kind: 'namespaces' } });
      expect(rollout).toMatchObject({
        name: 'rollout',
        datasource: OURS,
        query: { kind: 'rollouts', namespaces: ['$namespace'] },
      });
    });
  });

  it('query only this plugin: no TestData, no sample series', () => {
    dashboards.forEach(({ dashboard }) => {
      dashboard.panels.forEach((panel) => {
        const refs = [panel.datasource, ...panel.targets.map((target) => target.datasource)];
        refs.forEach((ref) => expect(ref).toEqual(OURS));
      });
    });
  });

  it('draw the annotations over the canary weight series and show the data source status', () => {
    dashboards.forEach(({ dashboard }) => {
      const series = dashboard.panels.filter((panel) => panel.type === 'timeseries');
      expect(series.map((panel) => panel.targets.map((target) => target.queryType))).toContainEqual(['series']);
      expect(
        series.some((panel) => panel.targets.some((target) => (target.metric ?? 'canaryWeight') === 'canaryWeight'))
      ).toBe(true);
      const status = dashboard.panels.filter((panel) => panel.title === 'Data source status');
      expect(status.map((panel) => [panel.type, panel.targets.map((target) => target.queryType)])).toEqual([
        ['table', ['status']],
      ]);
    });
  });

  it('colour annotations by outcome with the outcome presets, one layer per colour, sharing every other filter', () => {
    dashboards.forEach(({ dashboard }) => {
      const ours = dashboard.annotations.list.filter((annotation) => !annotation.builtIn);
      expect(
        ours.map((annotation) => ({
          name: annotation.name,
          iconColor: annotation.iconColor,
          outcomes: annotation.target?.outcomes,
        }))
      ).toEqual(
        OUTCOME_PRESETS.map((preset) => ({
          name: preset.name,
          iconColor: preset.iconColor,
          outcomes: preset.filter.outcomes,
        }))
      );
      const withoutOutcomes = ours.map(({ target, name, iconColor, ...rest }) => {
        const { outcomes, ...filter } = target as Record<string, unknown>;
        return { ...rest, filter };
      });
      withoutOutcomes.forEach((layer) => expect(layer).toEqual(withoutOutcomes[0]));
      expect(withoutOutcomes[0]).toMatchObject({
        datasource: OURS,
        filter: { queryType: 'annotations', namespaces: ['$namespace'], rollouts: ['$rollout'] },
      });
    });
  });

  it('link to each other, carrying the variables and the time range', () => {
    const [overview, detail] = ['rolloutlens-overview', 'rolloutlens-rollout-detail'].map(
      (uid) => dashboards.find(({ dashboard }) => dashboard.uid === uid)!.dashboard
    );
    expect(overview.links).toContainEqual(
      expect.objectContaining({ url: '/d/rolloutlens-rollout-detail', includeVars: true, keepTime: true })
    );
    expect(detail.links).toContainEqual(
      expect.objectContaining({ url: '/d/rolloutlens-overview', includeVars: true, keepTime: true })
    );
    expect(JSON.stringify(overview.panels)).toContain('/d/rolloutlens-rollout-detail?');
  });
});

describe('dashboards provisioning', () => {
  it('is left to the app: Grafana imports its dashboards itself, so no dashboards provider loads them a second time', () => {
    expect(fs.existsSync(path.join(repoRoot, 'provisioning/dashboards'))).toBe(false);
  });
});

describe('two-cluster provisioning example', () => {
  type ProvisionedDataSource = { uid: string; jsonData: { clusterName: string } };
  const [doc] = readYamlDocuments(path.join(repoRoot, 'provisioning/examples/two-clusters-datasources.yaml')) as Array<{
    datasources: ProvisionedDataSource[];
  }>;

  it('adds one data source per cluster, with distinct uids and cluster names', () => {
    expect(doc.datasources).toHaveLength(2);
    expect(new Set(doc.datasources.map((ds) => ds.uid)).size).toBe(2);
    expect(new Set(doc.datasources.map((ds) => ds.jsonData.clusterName)).size).toBe(2);
  });
});
