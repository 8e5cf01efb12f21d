/**
 * `npm run bench`: per cluster size, JSON.parse of the list bodies vs the plugin's pipeline, cost per object and
 * peak heap; one refresh of the overview dashboard against a counting server; bundle sizes. Progress on stderr,
 * a table and the budgets on stdout, then one line of JSON.
 */
import { build, type Plugin } from 'esbuild';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { measureBundle } from './bundle';
import type { GenerateResult, MemoryResult, TimingResult } from './child';
import { median } from './random';
import { replayRefresh } from './refresh';
import type { SteadyResult } from './steady';

const SEED = 20261126;
const REPETITIONS: Record<string, number> = { S: 5, M: 5, L: 3 };
const CHILD_SOURCE = path.join(__dirname, 'child.ts');
const CHILD_BUNDLE = path.resolve(__dirname, '../../node_modules/.cache/rollout-lens-bench/child.js');
const HEAP_LIMIT_MB = 8192;

interface SizeFigures {
  payload_bytes: number;
  parse_ms: number;
  pipeline_ms: number;
  ratio: number;
  per_object_us: number;
  peak_heap_bytes: number;
  /** A refresh after 1 % of the Rollouts changed, their changes arriving as watch events (steady.ts). */
  steady: { http_lists: number; bytes: number; pipeline_ms: number };
  /** What the data source instance holds in the JS heap after the first load. */
  informer_heap_bytes: number;
}

const log = (text: string) => process.stderr.write(`${text}\n`);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(2)} %`;

/** The query and variable editors are not bundled: browser-only-stubs answers their require at run time. */
const editorsStayExternal: Plugin = {
  name: 'editors-stay-external',
  setup(build) {
    build.onResolve({ filter: /\/components\/(query|variable)\// }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * The measured code runs as plain JavaScript bundled by esbuild, as in the plugin's production bundle (running it
 * through a TypeScript loader adds a name-keeping wrapper to every named function). Packages stay external; the
 * bench modules' `__dirname` stays this directory.
 */
async function bundleChild(): Promise<void> {
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: CHILD_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    define: { __dirname: JSON.stringify(__dirname) },
    plugins: [editorsStayExternal],
    logLevel: 'warning',
  });
}

function runChild<T>(args: string[], options: { traceGcFile?: string } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const execArgv = ['--expose-gc', `--max-old-space-size=${HEAP_LIMIT_MB}`];
    const child = fork(CHILD_BUNDLE, args, {
      execArgv: options.traceGcFile ? [...execArgv, '--trace-gc'] : execArgv,
      stdio: ['ignore', options.traceGcFile ? 'pipe' : 'inherit', 'inherit', 'ipc'],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    let result: T | undefined;
    child.on('message', (message) => {
      result = message as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (options.traceGcFile) {
        writeFileSync(options.traceGcFile, Buffer.concat(chunks));
      }
      if (code === 0 && result !== undefined) {
        resolve(result);
      } else {
        reject(new Error(`benchmark child ${args.join(' ')} exited with ${code}`));
      }
    });
  });
}

/**
 * Peak heap of the measured phase: the largest of the heap sizes V8 reports just before each collection that
 * follows the last forced one (`testing`), and the checkpoints; minus the heap before the bodies were decoded.
 */
function peakHeap(memory: MemoryResult, traceGc: string): number {
  const lines = traceGc
    .split('\n')
    .filter((line) => /ms: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)/.test(line));
  const lastForced = lines.map((line) => line.includes('testing')).lastIndexOf(true);
  const beforeCollection = lines
    .slice(lastForced + 1)
    .map((line) => /: [A-Za-z -]+? ([\d.]+) \([\d.]+\) ->/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]) * 1024 * 1024);
  return Math.max(...memory.checkpointHeapBytes, ...beforeCollection) - memory.baseHeapBytes;
}

/** Figures the table shows beside the JSON ones. */
interface SizeDetails {
  objects: number;
  parseCpuMs: number;
  pipelineCpuMs: number;
  frames: number;
  frameRows: number;
  steady: SteadyResult;
}

async function measureSize(label: string): Promise<SizeFigures & { details: SizeDetails }> {
  const dir = mkdtempSync(path.join(tmpdir(), `rollout-lens-bench-${label}-`));
  try {
    log(`[${label}] generating (seed ${SEED})`);
    const generated = await runChild<GenerateResult>(['generate', label, String(SEED), dir]);
    const objects = Object.values(generated.counts).reduce((a, b) => a + b, 0);
    log(`[${label}] ${objects} objects, ${(generated.payloadBytes / 1e6).toFixed(1)} MB: timing`);
    const timing = await runChild<TimingResult>(['timing', dir, String(REPETITIONS[label])]);
    log(`[${label}] peak heap`);
    const traceGcFile = path.join(dir, 'trace-gc.txt');
    const memory = await runChild<MemoryResult>(['memory', dir], { traceGcFile });
    log(`[${label}] steady state`);
    const steady = await runChild<SteadyResult>(['steady', label, String(SEED)]);
    const parseMs = median(timing.parseMs);
    const pipelineMs = median(timing.pipelineMs);
    return {
      payload_bytes: generated.payloadBytes,
      parse_ms: round(parseMs, 1),
      pipeline_ms: round(pipelineMs, 1),
      ratio: round(pipelineMs / parseMs, 3),
      per_object_us: round((pipelineMs * 1000) / objects, 3),
      peak_heap_bytes: Math.round(peakHeap(memory, readFileSync(traceGcFile, 'utf8'))),
      steady: { http_lists: steady.http_lists, bytes: steady.bytes, pipeline_ms: round(steady.pipeline_ms, 1) },
      informer_heap_bytes: steady.informerHeapBytes,
      details: {
        objects,
        parseCpuMs: median(timing.parseCpuMs),
        pipelineCpuMs: median(timing.pipelineCpuMs),
        frames: timing.frameCount,
        frameRows: timing.frameRows,
        steady,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  const labels = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['S', 'M', 'L'];
  await bundleChild();
  const sizes: Record<string, SizeFigures> = {};
  const details: Record<string, SizeDetails> = {};
  for (const label of labels) {
    const { details: sizeDetails, ...figures } = await measureSize(label);
    sizes[label] = figures;
    details[label] = sizeDetails;
  }
  log('refresh replay of the overview dashboard');
  const refresh = await replayRefresh(SEED);
  const bundle = measureBundle();

  const rows = Object.entries(sizes).map(([label, f]) =>
    [
      label,
      mb(f.payload_bytes),
      f.parse_ms,
      f.pipeline_ms,
      f.ratio,
      f.per_object_us,
      mb(f.peak_heap_bytes),
      (f.peak_heap_bytes / f.payload_bytes).toFixed(2),
      details[label].objects,
      details[label].parseCpuMs.toFixed(0),
      details[label].pipelineCpuMs.toFixed(0),
      (details[label].pipelineCpuMs / details[label].parseCpuMs).toFixed(2),
      `${details[label].frames}/${details[label].frameRows}`,
    ].join('\t')
  );
  console.log(
    [
      'size',
      'payload',
      'parse_ms',
      'pipeline_ms',
      'ratio',
      'us/object',
      'peak_heap',
      'heap/payload',
      'objects',
      'parse_cpu_ms',
      'pipeline_cpu_ms',
      'cpu_ratio',
      'frames/rows',
    ].join('\t')
  );
  rows.forEach((row) => console.log(row));
  console.log(
    [
      'size',
      'steady_lists',
      'steady_bytes',
      'steady_ms',
      'steady_cpu_ms',
      'of_first_cpu',
      'changed',
      'watches',
      'first_lists',
      'first_bytes',
      'informer_heap',
      'first_load_heap_growth',
    ].join('\t')
  );
  Object.entries(sizes).forEach(([label, f]) => {
    const s = details[label].steady;
    console.log(
      [
        label,
        f.steady.http_lists,
        kb(f.steady.bytes),
        f.steady.pipeline_ms,
        round(s.pipeline_cpu_ms, 1),
        share(s.pipeline_cpu_ms, details[label].pipelineCpuMs),
        s.changedRollouts,
        s.watches,
        s.first.http_lists,
        mb(s.first.bytes),
        mb(f.informer_heap_bytes),
        mb(s.firstLoadHeapGrowthBytes),
      ].join('\t')
    );
  });
  console.log(
    `refresh: ${refresh.queries} queries, ${refresh.http_requests} HTTP requests, ${refresh.resource_kinds} kinds, ${refresh.wallMs} ms`
  );
  Object.entries(refresh.listsByScope).forEach(([scope, lists]) => console.log(`  list ${scope}: ${lists}`));
  refresh.errors.forEach((error) => console.log(`  query error: ${error}`));
  if (bundle) {
    console.log(
      `bundle (dist/ built ${bundle.builtAt}): app ${kb(bundle.app_gzip_bytes)} gzip, data source ${kb(bundle.datasource_gzip_bytes)} gzip`
    );
  } else {
    console.log('bundle: dist/ has no module.js; run `npm run build` first');
  }

  const linearity = sizes.M && sizes.L ? round(sizes.L.per_object_us / sizes.M.per_object_us, 3) : undefined;
  const atMAndL = (
    name: (figures: SizeFigures | undefined) => string,
    pass: (figures: SizeFigures) => boolean
  ): Array<[string, boolean | undefined]> =>
    (['M', 'L'] as const).map((label) => [
      `${name(sizes[label])} at ${label}`,
      sizes[label] ? pass(sizes[label]) : undefined,
    ]);
  const budgets: Array<[string, boolean | undefined]> = [
    ...atMAndL(
      (f) => `first load: pipeline <= 1.0 x JSON.parse (${f?.ratio ?? 'n/a'})`,
      (f) => f.ratio <= 1.0
    ),
    ...atMAndL(
      (f) => `steady: 0 list requests (${f?.steady.http_lists ?? 'n/a'})`,
      (f) => f.steady.http_lists === 0
    ),
    ...atMAndL(
      (f) => `steady: bytes <= 2 % of the first load (${f ? share(f.steady.bytes, f.payload_bytes) : 'n/a'})`,
      (f) => f.steady.bytes <= 0.02 * f.payload_bytes
    ),
    ...atMAndL(
      (f) => `steady: pipeline <= 5 % of the first load's (${f ? share(f.steady.pipeline_ms, f.pipeline_ms) : 'n/a'})`,
      (f) => f.steady.pipeline_ms <= 0.05 * f.pipeline_ms
    ),
    [
      `informer at M holds <= 1 x the M payload (${sizes.M ? (sizes.M.informer_heap_bytes / sizes.M.payload_bytes).toFixed(2) : 'n/a'})`,
      sizes.M ? sizes.M.informer_heap_bytes <= sizes.M.payload_bytes : undefined,
    ],
    [`linearity <= 1.3 (${linearity ?? 'n/a'})`, linearity === undefined ? undefined : linearity <= 1.3],
    [
      `peak heap at L <= 3 x payload (${sizes.L ? (sizes.L.peak_heap_bytes / sizes.L.payload_bytes).toFixed(2) : 'n/a'})`,
      sizes.L ? sizes.L.peak_heap_bytes <= 3 * sizes.L.payload_bytes : undefined,
    ],
    [
      'refresh: at most one list per kind and namespace scope',
      refresh.errors.length === 0 && Object.values(refresh.listsByScope).every((lists) => lists <= 1),
    ],
    [
      `refresh: no Deployment ReplicaSet sent (${refresh.deploymentReplicaSets.sent} of ${refresh.deploymentReplicaSets.inCluster} in the cluster)`,
      refresh.deploymentReplicaSets.inCluster > 0 && refresh.deploymentReplicaSets.sent === 0,
    ],
    [
      `refresh: no list of an unneeded kind (${refresh.unneededKinds.join(', ') || 'none'})`,
      refresh.unneededKinds.length === 0,
    ],
    [
      `bundle: data source <= 150 KB gzip (${bundle ? kb(bundle.datasource_gzip_bytes) : 'n/a'})`,
      bundle ? bundle.datasource_gzip_bytes <= 150_000 : undefined,
    ],
    [
      `bundle: app <= 60 KB gzip (${bundle ? kb(bundle.app_gzip_bytes) : 'n/a'})`,
      bundle ? bundle.app_gzip_bytes <= 60_000 : undefined,
    ],
  ];
  console.log('budgets:');
  budgets.forEach(([name, pass]) => console.log(`  ${pass === undefined ? 'SKIP' : verdict(pass)}  ${name}`));

  console.log(
    JSON.stringify({
      sizes,
      linearity: linearity ?? null,
      refresh: {
        queries: refresh.queries,
        http_requests: refresh.http_requests,
        resource_kinds: refresh.resource_kinds,
      },
      bundle: bundle
        ? { app_gzip_bytes: bundle.app_gzip_bytes, datasource_gzip_bytes: bundle.datasource_gzip_bytes }
        : null,
    })
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  }
);
