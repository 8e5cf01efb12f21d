/**
 * One size of the benchmark in its own process, so that sizes do not share a heap: `generate` writes the list
 * pages to a directory, `timing` measures JSON.parse and the pipeline, `memory` runs them once for peak heap,
 * `steady` a refresh after 1 % of the Rollouts changed, through lists and watches (steady.ts).
 * Results go to the parent over IPC.
 */
import './node-globals';

import type { DataFrame } from '@grafana/data';

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { dropManagedFields } from '../../src/datasource/kube/client';
import { loadOverviewDashboard } from './dashboard';
import { CLUSTER_NOW_MS, generateCluster, type ListBodies, SIZES } from './generate';
import { benchDataSource, type ListPage, type ParsedLists, parsedListsClient } from './pipeline';
import { resolveVariables, runRefreshQueries } from './refreshQueries';
import { profiled } from './profile';
import { measureSteady } from './steady';

export const PLURALS: Array<keyof ListBodies> = ['rollouts', 'replicasets', 'analysisruns', 'experiments', 'events'];
/** The dashboard time range the benchmark asks for: the last seven days, which covers the generated history. */
const RANGE = { from: CLUSTER_NOW_MS - 7 * 24 * 3_600_000, to: CLUSTER_NOW_MS };

export interface TimingResult {
  parseMs: number[];
  pipelineMs: number[];
  /** CPU time of this process (user + system, GC threads included): steadier than wall time on a busy machine. */
  parseCpuMs: number[];
  pipelineCpuMs: number[];
  frameCount: number;
  frameRows: number;
}

export interface MemoryResult {
  baseHeapBytes: number;
  /** heapUsed at each checkpoint (after each list is parsed, after the pipeline), before any forced GC. */
  checkpointHeapBytes: number[];
}

export interface GenerateResult {
  payloadBytes: number;
  counts: Record<string, number>;
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('run with --expose-gc');
  }
  collect();
};

/** A page as the kube client keeps it: parsed, and its items' managedFields dropped. */
function receivedPage(text: string): ListPage {
  const page = JSON.parse(text) as ListPage;
  dropManagedFields(page.items ?? []);
  return page;
}

/**
 * The pipeline of one refresh over already parsed lists. Variables are resolved once beforehand (they read only
 * the Rollouts, and their values do not change between repetitions).
 */
async function preparePipeline(firstParse: ParsedLists): Promise<(lists: ParsedLists) => Promise<DataFrame[]>> {
  const dashboard = loadOverviewDashboard();
  const values = new Map<string, string | string[]>();
  await resolveVariables(benchDataSource(parsedListsClient(firstParse), values), dashboard, values);
  return async (lists) => {
    const { frames, errors } = await runRefreshQueries(
      benchDataSource(parsedListsClient(lists), values),
      dashboard,
      RANGE
    );
    if (errors.length > 0) {
      throw new Error(`the pipeline returned errors: ${errors.join('; ')}`);
    }
    return frames;
  };
}

/** Each kind's pages, one per line (compact JSON has no raw newlines). */
const pagesFile = (dir: string, plural: keyof ListBodies) => path.join(dir, `${plural}.pages.jsonl`);

function generate(sizeLabel: keyof typeof SIZES, seed: number, dir: string): GenerateResult {
  const { pages, counts } = generateCluster(SIZES[sizeLabel], seed);
  let payloadBytes = 0;
  for (const plural of PLURALS) {
    writeFileSync(pagesFile(dir, plural), pages[plural].join('\n'));
    payloadBytes += pages[plural].reduce((sum, page) => sum + Buffer.byteLength(page), 0);
  }
  return { payloadBytes, counts };
}

/** The page bodies of one kind as bytes, without copying them. */
function pageBuffers(dir: string, plural: keyof ListBodies): Buffer[] {
  const file = readFileSync(pagesFile(dir, plural));
  const pages: Buffer[] = [];
  for (let start = 0; start < file.length;) {
    const newline = file.indexOf(0x0a, start);
    const end = newline === -1 ? file.length : newline;
    pages.push(file.subarray(start, end));
    start = end + 1;
  }
  return pages;
}

async function timing(dir: string, repetitions: number): Promise<TimingResult> {
  const texts = PLURALS.map(
    (plural) => [plural, pageBuffers(dir, plural).map((page) => page.toString('utf8'))] as const
  );
  const pipeline = await preparePipeline({ rollouts: texts[0][1].map(receivedPage) });
  const parseMs: number[] = [];
  const pipelineMs: number[] = [];
  const parseCpuMs: number[] = [];
  const pipelineCpuMs: number[] = [];
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let frameCount = 0;
  let frameRows = 0;
  for (let run = -1; run < repetitions; run++) {
    gc();
    const startedCpu = cpuMs();
    const started = performance.now();
    const lists: ParsedLists = {};
    // The kube client drops each page's managedFields as the page arrives: plugin work between two parses,
    // timed apart and counted in the pipeline.
    let dropMs = 0;
    let dropCpuMs = 0;
    for (const [plural, pages] of texts) {
      lists[plural] = pages.map((page) => {
        const parsedPage = JSON.parse(page) as ListPage;
        const dropStarted = performance.now();
        const dropStartedCpu = cpuMs();
        dropManagedFields(parsedPage.items ?? []);
        dropMs += performance.now() - dropStarted;
        dropCpuMs += cpuMs() - dropStartedCpu;
        return parsedPage;
      });
    }
    const parsed = performance.now();
    const parsedCpu = cpuMs();
    const frames = await (run === repetitions - 1 ? profiled('first-load', () => pipeline(lists)) : pipeline(lists));
    const done = performance.now();
    const doneCpu = cpuMs();
    const parseWall = parsed - started - dropMs;
    const pipelineWall = done - parsed + dropMs;
    if (run >= 0) {
      parseMs.push(parseWall);
      pipelineMs.push(pipelineWall);
      parseCpuMs.push(parsedCpu - startedCpu - dropCpuMs);
      pipelineCpuMs.push(doneCpu - parsedCpu + dropCpuMs);
    }
    frameCount = frames.length;
    frameRows = frames.reduce((sum, frame) => sum + frame.length, 0);
    process.stderr.write(
      run < 0
        ? '  warm-up done\n'
        : `  run ${run + 1}/${repetitions}: parse ${parseWall.toFixed(0)} ms, pipeline ${pipelineWall.toFixed(0)} ms\n`
    );
  }
  return { parseMs, pipelineMs, parseCpuMs, pipelineCpuMs, frameCount, frameRows };
}

/**
 * The page bodies arrive as bytes outside the JS heap (Buffers), one page at a time as the kube client requests
 * them; decoding, parsing and the pipeline happen on it. The peak between checkpoints is read from --trace-gc by
 * the parent (heap size before each collection).
 */
async function memory(dir: string): Promise<MemoryResult> {
  const buffers = PLURALS.map((plural) => [plural, pageBuffers(dir, plural)] as const);
  const pipeline = await preparePipeline({
    rollouts: buffers[0][1].map((page) => receivedPage(page.toString('utf8'))),
  });
  gc();
  gc();
  const baseHeapBytes = process.memoryUsage().heapUsed;
  const checkpointHeapBytes: number[] = [];
  const lists: ParsedLists = {};
  for (const [plural, pages] of buffers) {
    lists[plural] = pages.map((page) => receivedPage(page.toString('utf8')));
    checkpointHeapBytes.push(process.memoryUsage().heapUsed);
  }
  const frames = await pipeline(lists);
  checkpointHeapBytes.push(process.memoryUsage().heapUsed);
  if (frames.length === 0) {
    throw new Error('the pipeline produced no frames');
  }
  return { baseHeapBytes, checkpointHeapBytes };
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  let result: unknown;
  if (mode === 'generate') {
    result = generate(args[0] as keyof typeof SIZES, Number(args[1]), args[2]);
  } else if (mode === 'timing') {
    result = await timing(args[0], Number(args[1]));
  } else if (mode === 'memory') {
    result = await memory(args[0]);
  } else if (mode === 'steady') {
    result = await measureSteady(args[0] as keyof typeof SIZES, Number(args[1]));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await new Promise<void>((resolve, reject) =>
    process.send!(result, (error: Error | null) => (error ? reject(error) : resolve()))
  );
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    }
  );
}
