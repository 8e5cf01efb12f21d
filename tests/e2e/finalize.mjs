// The last step of npm run test:e2e: completes the report against the expected-checks manifest and the runners'
// exit statuses (tests/e2e/lib/finalize.mjs), writes it, prints the closing lines and exits non-zero unless every
// check passed.
//   node tests/e2e/finalize.mjs <report.json> <runners.jsonl> [<manifest.json>]
// Environment: E2E_ONLY (regular expression of check ids: only the manifest ids it matches are expected).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { closingLines, finalize } from './lib/finalize.mjs';
import { readJsonLines } from './lib/json-lines.mjs';
import { Report } from './lib/report.mjs';

const LOG_TAIL_LINES = 30;
const DEFAULT_MANIFEST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'expected-checks.json');

function readRuns(file) {
  return readJsonLines(file).map((run) => ({
    ...run,
    log: run.log && path.relative(process.cwd(), run.log),
    logTail: run.exitCode ? logTail(run.log) : undefined,
  }));
}

function logTail(file) {
  if (!file || !fs.existsSync(file)) {
    return undefined;
  }
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES);
}

const [reportFile, runsFile, manifestFile = DEFAULT_MANIFEST] = process.argv.slice(2);
if (!reportFile || !runsFile) {
  console.error('usage: node tests/e2e/finalize.mjs <report.json> <runners.jsonl> [<manifest.json>]');
  process.exit(2);
}
const report = Report.load(reportFile);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
const { checks, summary } = finalize({ checks: report.checks, manifest, runs: readRuns(runsFile), only });
report.checks = checks;
report.write(reportFile);

for (const c of checks.filter((check) => !check.passed)) {
  console.log(`FAILED ${c.id}: ${c.details?.error ?? '(no message)'}`);
}
for (const line of closingLines(summary)) {
  console.log(line);
}
process.exitCode = summary.failed === 0 && summary.passed > 0 ? 0 : 1;
