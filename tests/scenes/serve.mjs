// Serves the scenes page for a running Grafana (stand-in) until SIGTERM or SIGINT: `npm run demo` starts it, and it
// can be run by hand against any run directory with a Grafana stand-in.
//
//   node tests/scenes/serve.mjs <run dir> [port]
// Reads <run dir>/grafana-url and grafana-admin-password; bundles the page into <run dir>/scenes-page; writes
// <run dir>/scenes-url (http://127.0.0.1:<port>) once it listens. Port 0 (default) picks a free one.
import fs from 'node:fs';
import path from 'node:path';

import { startHostServer } from '../browser/serve.mjs';
import { buildScenesPage } from './build.mjs';

async function main() {
  const [runDir, port = '0'] = process.argv.slice(2);
  const read = (name) => fs.readFileSync(path.join(runDir ?? '', name), 'utf8').trim();
  if (!runDir || !fs.existsSync(path.join(runDir, 'grafana-url'))) {
    throw new Error('usage: node tests/scenes/serve.mjs <run dir with a running Grafana stand-in> [port]');
  }
  const bundleDir = path.join(runDir, 'scenes-page');
  const build = await buildScenesPage(bundleDir);
  const server = await startHostServer({
    grafanaUrl: read('grafana-url'),
    user: 'admin',
    password: read('grafana-admin-password'),
    bundleDir,
    port: Number(port),
  });
  fs.writeFileSync(path.join(runDir, 'scenes-url'), `${server.url}\n`);
  console.log(`scenes page at ${server.url} (bundle ${build.bytes} bytes in ${build.ms} ms)`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(`[scenes-page] ${error.stack ?? error}`);
  process.exit(1);
});
