import fs from 'node:fs';
import path from 'node:path';

type Details = Record<string, unknown>;

/**
 * Registers a jest test that is also a check of test-results/e2e-report.json: `fn` fills in (or returns) the
 * check's details; a thrown error (a failed expect) fails both, and the details gathered so far are kept.
 * Results are appended to E2E_PLUGIN_CHECKS (JSON lines), which tests/e2e/merge-checks.mjs merges into the report.
 */
export function check(id: string, fn: (details: Details) => Promise<Details | void>, timeoutMs = 60_000): void {
  it(
    id,
    async () => {
      const started = Date.now();
      const details: Details = {};
      let passed = false;
      try {
        Object.assign(details, await fn(details));
        passed = true;
      } catch (error) {
        details.error = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        const file = process.env.E2E_PLUGIN_CHECKS;
        if (file) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.appendFileSync(file, JSON.stringify({ id, passed, durationMs: Date.now() - started, details }) + '\n');
        }
      }
    },
    timeoutMs
  );
}
