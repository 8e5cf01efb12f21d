// Check registry and report writer for real-stack tests. Any runner can add checks and components and
// write (or merge into) test-results/e2e-report.json:
//   {"components":[{"name","version"}], "checks":[{"id","passed","durationMs","against","details"}]}
// `against` names the components the check ran against (tests/e2e/lib/components.mjs); tests/e2e/finalize.mjs
// completes the report against tests/e2e/expected-checks.json and prints the verdict.
import fs from 'node:fs';
import path from 'node:path';

import { againstList } from './components.mjs';
import { TimeoutFailure, withTimeout } from './timeout.mjs';

/** A check that gives no timeout of its own may take this long; then it fails and its late result is discarded. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5 * 60_000;

export class CheckFailure extends Error {
  /** A failed expectation; `details` end up in the report next to the message. */
  constructor(message, details = {}) {
    super(message);
    this.details = details;
  }
}

/** Throws a CheckFailure unless `condition` holds. */
export function expect(condition, message, details) {
  if (!condition) {
    throw new CheckFailure(message, details);
  }
}

/** The failed check of an error: its message, its details, and for unexpected errors the top of the stack. */
export function failedCheck(id, against, err, durationMs) {
  const details = { ...(err?.details ?? {}), error: err?.message ?? String(err) };
  if (!(err instanceof CheckFailure) && !(err instanceof TimeoutFailure) && err?.stack) {
    details.stack = err.stack.split('\n').slice(0, 6).join('\n');
  }
  return { id, passed: false, durationMs, against, details };
}

export class Report {
  constructor() {
    this.components = [];
    this.checks = [];
    this.registered = [];
  }

  addComponent(name, version) {
    this.components = this.components.filter((c) => c.name !== name);
    this.components.push({ name, version });
  }

  /**
   * Registers a check: `fn(ctx)` resolves to the details object, or throws (CheckFailure or any error).
   * `against`: the components it runs against (required); `timeoutMs`: default DEFAULT_CHECK_TIMEOUT_MS.
   */
  register(id, fn, { against, timeoutMs } = {}) {
    if (this.registered.some((c) => c.id === id)) {
      throw new Error(`check ${id} registered twice`);
    }
    this.registered.push({ id, fn, against: againstList(against, `check ${id}`), timeoutMs });
  }

  /** Runs one check and records its result; never throws (but an invalid `against` does, before anything runs). */
  async run(id, fn, { against, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS } = {}, ctx = {}) {
    const components = againstList(against, `check ${id}`);
    const t0 = Date.now();
    let result;
    try {
      const details =
        (await withTimeout(
          Promise.resolve().then(() => fn(ctx)),
          timeoutMs,
          `check ${id}`
        )) ?? {};
      result = { id, passed: true, durationMs: Date.now() - t0, against: components, details };
    } catch (err) {
      result = failedCheck(id, components, err, Date.now() - t0);
    }
    this.checks = this.checks.filter((c) => c.id !== id);
    this.checks.push(result);
    const secs = (result.durationMs / 1000).toFixed(1);
    console.log(
      `${result.passed ? 'PASS' : 'FAIL'} ${id} (${secs} s)${result.passed ? '' : `: ${result.details.error}`}`
    );
    return result;
  }

  /**
   * Runs the registered checks whose id matches `filter`, at most `concurrency` at a time.
   * `override` replaces every check function (used to report checks that could not run).
   */
  async runAll(ctx, { concurrency = Infinity, filter = () => true, override } = {}) {
    const queue = this.registered.filter((c) => filter(c.id));
    const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      while (queue.length > 0) {
        const { id, fn, against, timeoutMs } = queue.shift();
        await this.run(id, override ?? fn, { against, timeoutMs }, ctx);
      }
    });
    await Promise.all(workers);
  }

  get summary() {
    const passed = this.checks.filter((c) => c.passed).length;
    return { passed, failed: this.checks.length - passed };
  }

  toJSON() {
    const byId = (a, b) => a.id.localeCompare(b.id);
    return { components: this.components, checks: [...this.checks].sort(byId) };
  }

  /** Writes the report, replacing checks and components of the same id/name already in `file`. */
  mergeInto(file) {
    const merged = Report.load(file);
    for (const c of this.components) {
      merged.addComponent(c.name, c.version);
    }
    merged.addChecks(this.checks);
    merged.write(file);
    return merged;
  }

  /** Ends a runner: writes its checks into `file`, prints `<label>: N passed, M failed in S s`, and makes the process
   * exit 1 when a check failed. */
  finish(file, label, startedAt) {
    const merged = this.mergeInto(file);
    const { passed, failed } = this.summary;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `${label}: ${passed} passed, ${failed} failed in ${seconds} s; report ${file} (${merged.checks.length} checks)`
    );
    process.exitCode = failed > 0 ? 1 : 0;
  }

  /** Adds checks, replacing those of the same id. */
  addChecks(checks) {
    const ids = new Set(checks.map((c) => c.id));
    this.checks = [...this.checks.filter((c) => !ids.has(c.id)), ...checks];
  }

  write(file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(this, null, 2) + '\n');
  }

  static load(file) {
    const report = new Report();
    if (fs.existsSync(file)) {
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      report.components = data.components ?? [];
      report.checks = data.checks ?? [];
    }
    return report;
  }
}
