// Checks the resolved docker-compose configuration (the output of `docker-compose config`) against the
// repository: every bind mount exists, Grafana gets the built plugin and the provisioning, everything the
// provisioning names exists where Grafana will look, the one-shot services' scripts and manifests exist, images
// are pinned, and the Argo Rollouts release matches the test bed's.
//   node tests/compose/check.mjs <config.yaml>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import YAML from 'yaml';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APP_ID = 'rolloutlens-argorollouts-app';
const DS_ID = 'rolloutlens-argorollouts-datasource';
const PLUGIN_DIR = `/var/lib/grafana/plugins/${APP_ID}`;
const PROVISIONING_DIR = '/etc/grafana/provisioning';

const config = YAML.parse(fs.readFileSync(process.argv[2], 'utf8'));
const results = [];
function check(name, fn) {
  try {
    fn();
    results.push({ name, passed: true });
  } catch (error) {
    results.push({ name, passed: false, error: error.message });
  }
}
function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** [{service, source, target, type}] from short ("src:dst[:mode]") and long volume syntax. */
const mounts = Object.entries(config.services).flatMap(([service, s]) =>
  (s.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source, target] = v.split(':');
      return { service, source, target, type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume' };
    }
    return { service, source: v.source, target: v.target, type: v.type };
  })
);
const binds = mounts.filter((m) => m.type === 'bind');
/** The host path a container path of `service` comes from, through its bind mounts. */
function hostPath(service, containerPath) {
  const mount = binds
    .filter((m) => m.service === service && (containerPath === m.target || containerPath.startsWith(m.target + '/')))
    .sort((a, b) => b.target.length - a.target.length)[0];
  return mount && path.join(mount.source, path.relative(mount.target, containerPath));
}
const grafana = config.services.grafana;
const readYaml = (file) => YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};

check('every bind-mounted host path exists', () => {
  assert(binds.length > 0, 'no bind mounts');
  const missing = binds.filter((m) => !fs.existsSync(m.source));
  assert(
    missing.length === 0,
    `missing: ${missing.map((m) => `${m.service}: ${m.source}`).join(', ')} (dist/ needs npm run build)`
  );
});

check('Grafana mounts the built plugin and the repository provisioning', () => {
  const dist = hostPath('grafana', PLUGIN_DIR);
  assert(dist === path.join(REPO_ROOT, 'dist'), `${PLUGIN_DIR} comes from ${dist}, not dist/`);
  const plugin = JSON.parse(fs.readFileSync(path.join(dist, 'plugin.json'), 'utf8'));
  const nested = JSON.parse(fs.readFileSync(path.join(dist, 'datasource/plugin.json'), 'utf8'));
  assert(plugin.id === APP_ID && nested.id === DS_ID, `dist/ holds ${plugin.id} and ${nested.id}`);
  assert(
    fs.existsSync(path.join(dist, 'module.js')) && fs.existsSync(path.join(dist, 'datasource/module.js')),
    'dist/ has no module.js'
  );
  assert(
    hostPath('grafana', PROVISIONING_DIR) === path.join(REPO_ROOT, 'provisioning'),
    'provisioning/ is not mounted'
  );
});

check('Grafana allows both unsigned plugin ids and pins its image', () => {
  const allowed = String(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
  assert(allowed.includes(APP_ID) && allowed.includes(DS_ID), `allowed: ${allowed}`);
  assert(/^grafana\/grafana:\d+\.\d+\.\d+$/.test(grafana.image), `image ${grafana.image} is not pinned to a release`);
  const [major, minor] = grafana.image.split(':')[1].split('.').map(Number);
  assert(
    major > 12 || (major === 12 && minor >= 3),
    `${grafana.image} is older than the plugin's grafanaDependency >=12.3.0`
  );
});

check('every image is pinned', () => {
  Object.entries(config.services).forEach(([name, s]) =>
    assert(/:[\w.-]+$/.test(s.image) && !s.image.endsWith(':latest'), `${name}: ${s.image}`)
  );
});

check('the provisioned app and data sources exist in dist/, with every variable they read set', () => {
  const dir = hostPath('grafana', PROVISIONING_DIR);
  const apps = fs
    .readdirSync(path.join(dir, 'plugins'))
    .flatMap((f) => readYaml(path.join(dir, 'plugins', f)).apps ?? []);
  assert(
    apps.some((a) => a.type === APP_ID && !a.disabled),
    'the app is not enabled by provisioning/plugins/'
  );
  const files = fs.readdirSync(path.join(dir, 'datasources')).map((f) => path.join(dir, 'datasources', f));
  const dataSources = files.flatMap((f) => readYaml(f).datasources ?? []);
  assert(dataSources.length > 0 && dataSources.every((ds) => ds.type === DS_ID), 'no data source of the plugin');
  const variables = files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
  const entrypoint = [].concat(grafana.entrypoint ?? []).join(' ');
  const unset = [...new Set(variables)].filter(
    (v) => !(v in (grafana.environment ?? {})) && !new RegExp(`export[^;]*\\b${v}=`).test(entrypoint)
  );
  assert(unset.length === 0, `set neither in environment nor by the entrypoint: ${unset.join(', ')}`);
});

// Grafana imports an enabled app's `includes` dashboards itself (DashboardUpdater.syncPluginDashboards): a dashboards
// provider for the same files would load them a second time, with the same uids.
check('Grafana imports the app dashboards from the mounted plugin, and no dashboards provider loads them again', () => {
  const dir = hostPath('grafana', PROVISIONING_DIR);
  assert(!fs.existsSync(path.join(dir, 'dashboards')), `${dir}/dashboards provisions dashboards besides the app`);
  const plugin = hostPath('grafana', PLUGIN_DIR);
  const included = JSON.parse(fs.readFileSync(path.join(plugin, 'plugin.json'), 'utf8'))
    .includes.filter((i) => i.type === 'dashboard')
    .map((i) => i.path);
  const missing = included.filter((file) => !fs.existsSync(path.join(plugin, file)));
  assert(included.length > 0 && missing.length === 0, `the app includes ${included}; missing in ${plugin}: ${missing}`);
  const home = grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
  assert(!home || fs.existsSync(hostPath('grafana', home) ?? ''), `home dashboard ${home} does not exist`);
});

check("the one-shot services' scripts and the manifests they apply exist", () => {
  for (const name of ['setup', 'demo-driver']) {
    const service = config.services[name];
    const script = [].concat(service.command)[0];
    const host = hostPath(name, script);
    assert(host && fs.existsSync(host), `${name}: ${script} does not exist on the host`);
    const applied = [...fs.readFileSync(host, 'utf8').matchAll(/-f (\/deploy\/[\w./-]+\.yaml)/g)].map((m) => m[1]);
    applied.forEach((file) => assert(fs.existsSync(hostPath(name, file) ?? ''), `${name}: ${file} does not exist`));
  }
});

check("Argo Rollouts is installed at the test bed's version, from its release manifest", () => {
  const url = config.services.setup.environment.ARGO_ROLLOUTS_INSTALL_URL;
  const versions = fs.readFileSync(path.join(REPO_ROOT, 'tests/testbed/versions.env'), 'utf8');
  const version = /^ARGO_ROLLOUTS_VERSION=(.+)$/m.exec(versions)[1].trim();
  assert(
    url === `https://github.com/argoproj/argo-rollouts/releases/download/v${version}/install.yaml`,
    `${url} is not the v${version} release manifest`
  );
});

check('Grafana starts after the setup wrote the identity it reads', () => {
  assert(grafana.depends_on?.setup?.condition === 'service_completed_successfully', 'grafana does not wait for setup');
  assert(/\/rollout-lens\/token/.test([].concat(grafana.entrypoint).join(' ')), 'grafana does not read the token file');
  assert(
    mounts.some((m) => m.service === 'grafana' && m.target === '/rollout-lens'),
    'the identity volume is not mounted'
  );
  assert(
    /> \/rollout-lens\/token/.test(fs.readFileSync(path.join(REPO_ROOT, 'deploy/compose/setup.sh'), 'utf8')),
    'setup does not write the token'
  );
});

for (const r of results) {
  console.log(`${r.passed ? 'PASS' : 'FAIL'} ${r.name}${r.passed ? '' : `: ${r.error}`}`);
}
const failed = results.filter((r) => !r.passed).length;
console.log(`compose: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
