// Bundles a page of the harness with esbuild into one browser script (`host.js`), plus index.html, into `outDir`:
// the browser harness's host page (host/host.tsx) by default, or another entry that shares its modules (the scenes
// page, tests/scenes/page/main.tsx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HOST_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host');

/** True for a CommonJS file that marks itself as transpiled ESM (`exports.__esModule`, `exports.default`). */
function isTranspiledEsm(file, cache) {
  if (!cache.has(file)) {
    const text = fs.readFileSync(file, 'utf8');
    cache.set(file, text.includes('__esModule') && !/^\s*(import|export)\s/m.test(text));
  }
  return cache.get(file);
}

/**
 * esbuild follows Node for `import x from 'cjs'` inside .mjs files (x = module.exports), while webpack, which
 * Grafana is built with, gives `exports.default` of transpiled ESM. @grafana/ui's .mjs files rely on the
 * latter (e.g. react-custom-scrollbars-2): such imports go through a wrapper module that re-exports `default`.
 */
const transpiledEsmDefaults = {
  name: 'transpiled-esm-defaults',
  setup(build) {
    const cache = new Map();
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner || !args.importer.endsWith('.mjs')) {
        return undefined;
      }
      const { kind, resolveDir, importer } = args;
      const resolved = await build.resolve(args.path, { kind, resolveDir, importer, pluginData: { inner: true } });
      if (resolved.errors.length > 0 || !/\.c?js$/.test(resolved.path) || !isTranspiledEsm(resolved.path, cache)) {
        return undefined;
      }
      return { path: resolved.path, namespace: 'transpiled-esm' };
    });
    build.onLoad({ filter: /.*/, namespace: 'transpiled-esm' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)};\nexport { default } from ${JSON.stringify(args.path)};\n`,
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * @grafana/scenes 8.19 imports `defaultOptions` of the table panel's config from @grafana/schema, which 12.4 no
 * longer exports (the options moved to `defaultTableOptions`). webpack, which Grafana builds with, resolves a
 * missing named export to undefined (only scenes' PanelBuilders.table reads it, the harness does not use it);
 * esbuild refuses to bundle it. This gives the module that export, undefined, as webpack would.
 */
const schemaTableDefaults = {
  name: 'schema-table-defaults',
  setup(build) {
    build.onLoad({ filter: /@grafana[\\/]schema[\\/].*[\\/]table[\\/]panelcfg[\\/]x[\\/]types\.gen\.mjs$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      return {
        contents: /\bdefaultOptions\b/.test(text) ? text : `${text}\nexport const defaultOptions = undefined;\n`,
        loader: 'js',
      };
    });
  },
};

const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const DEFAULT_PAGE = {
  entry: path.join(HOST_DIR, 'host.tsx'),
  title: "Rollout Lens · browser harness (stand-in for Grafana's UI)",
};

/**
 * @param {string} outDir
 * @param {{entry?: string, title?: string}} [page] the page's entry module and its document title
 * @returns {Promise<{outDir: string, bytes: number, ms: number}>}
 */
export async function buildHost(outDir, page = {}) {
  const { entry, title } = { ...DEFAULT_PAGE, ...page };
  const t0 = Date.now();
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: path.join(outDir, 'host.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: process.env.BROWSER_HOST_MINIFY !== '0',
    jsx: 'transform',
    define: {
      'process.env.NODE_ENV': process.env.BROWSER_HOST_MINIFY === '0' ? '"development"' : '"production"',
      global: 'globalThis',
    },
    loader: { '.svg': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file' },
    assetNames: 'assets/[name]-[hash]',
    publicPath: '/host/',
    plugins: [transpiledEsmDefaults, schemaTableDefaults],
    logLevel: 'warning',
  });
  const html = fs.readFileSync(path.join(HOST_DIR, 'index.html'), 'utf8').replace('{{title}}', () => escapeHtml(title));
  fs.writeFileSync(path.join(outDir, 'index.html'), html);
  const cssFile = path.join(outDir, 'host.css');
  if (!fs.existsSync(cssFile)) {
    fs.writeFileSync(cssFile, '');
  }
  return { outDir, bytes: fs.statSync(path.join(outDir, 'host.js')).size, ms: Date.now() - t0 };
}
