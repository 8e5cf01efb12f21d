import fs from 'node:fs';
import path from 'node:path';

import { againstList } from '../lib/components.mjs';
import { withTimeout } from '../lib/timeout.mjs';

type Details = Record<string, unknown>;

export interface CheckOptions {
  /** The components the check runs against (names of tests/e2e/lib/components.mjs; an unknown one is an error). */
  against: readonly string[];
  /** Default 60 s. After it the check fails, and whatever its body does later is discarded. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** jest's own timeout comes this much later, so that the check's timeout is the one that fires and is recorded. */
const JEST_MARGIN_MS = 10_000;
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;

function record(result: { id: string; passed: boolean; durationMs: number; against: string[]; details: Details }) {
  const file = process.env.E2E_PLUGIN_CHECKS;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, JSON.stringify(result) + '\n');
  }
}

/**
 * Registers a jest test that is also a check of test-results/e2e-report.json: `fn` fills in (or returns) the
 * check's details; a thrown error (a failed expect) fails both, and the details gathered so far are kept. The
 * result is written once, when the body ends or its time is up, as it stands then; a body still running after its
 * time writes nothing. Results are appended to E2E_PLUGIN_CHECKS (JSON lines), which tests/e2e/merge-checks.mjs
 * merges into the report. Checks whose id E2E_ONLY does not match are skipped.
 */
export function check(id: string, fn: (details: Details) => Promise<Details | void>, options: CheckOptions): void {
  const against = againstList(options.against, `check ${id}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const test = only && !only.test(id) ? it.skip : it;
  test(
    id,
    async () => {
      const started = Date.now();
      const details: Details = {};
      const finish = (passed: boolean) => record({ id, passed, durationMs: Date.now() - started, against, details });
      try {
        Object.assign(details, await withTimeout(fn(details), timeoutMs, `check ${id}`));
      } catch (error) {
        if (error instanceof Error && 'details' in error) {
          Object.assign(details, (error as Error & { details: Details }).details);
        }
        details.error = error instanceof Error ? error.message : String(error);
        finish(false);
        throw error;
      }
      finish(true);
    },
    timeoutMs + JEST_MARGIN_MS
  );
}
