/** Gzip size of each plugin's module.js and its chunks in dist/ (what Grafana downloads for the plugin). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const DIST_DIR = path.resolve(__dirname, '../../dist');

export interface BundleSizes {
  app_gzip_bytes: number;
  datasource_gzip_bytes: number;
  /** When the newer of the two module.js files was written (webpack leaves an unchanged file as it was). */
  builtAt: string;
}

/** module.js and the chunks webpack emits beside it (numbered `<id>.js`), not the nested plugin's. */
function pluginScripts(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file === 'module.js' || /^[\w-]+\.js$/.test(file))
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(file).isFile());
}

const gzipBytes = (files: string[]) =>
  files.reduce((total, file) => total + gzipSync(readFileSync(file), { level: 9 }).length, 0);

export function measureBundle(dist = DIST_DIR): BundleSizes | undefined {
  if (!existsSync(path.join(dist, 'module.js')) || !existsSync(path.join(dist, 'datasource', 'module.js'))) {
    return undefined;
  }
  return {
    app_gzip_bytes: gzipBytes(pluginScripts(dist)),
    datasource_gzip_bytes: gzipBytes(pluginScripts(path.join(dist, 'datasource'))),
    builtAt: new Date(
      Math.max(...['module.js', 'datasource/module.js'].map((file) => statSync(path.join(dist, file)).mtimeMs))
    ).toISOString(),
  };
}
