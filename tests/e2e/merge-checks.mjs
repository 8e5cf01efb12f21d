// Merges the checks of a jest runner into the e2e report: the JSON lines its checks wrote (tests/e2e/plugin/checks.ts)
// joined with jest's own results (tests/e2e/lib/jest-checks.mjs). What jest says went wrong outside any check (a
// test file that did not run) is appended to the runners file as the runner's problems, where tests/e2e/finalize.mjs
// reads it for the ids that are then missing.
//   node tests/e2e/merge-checks.mjs <report.json> <runners.jsonl> <runner> <checks.jsonl> <jest-results.json>
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { jestChecks } from './lib/jest-checks.mjs';
import { Report } from './lib/report.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [reportFile, runsFile, runner, checksFile, jestFile] = process.argv.slice(2);
if (!jestFile) {
  console.error(
    'usage: node tests/e2e/merge-checks.mjs <report.json> <runners.jsonl> <runner> <checks.jsonl> <jest-results.json>'
  );
  process.exit(2);
}
const lines = fs.existsSync(checksFile) ? fs.readFileSync(checksFile, 'utf8').split('\n').filter(Boolean) : [];
const jestResults = fs.existsSync(jestFile) ? JSON.parse(fs.readFileSync(jestFile, 'utf8')) : undefined;
const { checks, problems } = jestChecks({ lines, jestResults, relativeTo: REPO_ROOT });

const report = Report.load(reportFile);
report.addChecks(checks);
report.write(reportFile);
if (problems.length > 0) {
  fs.appendFileSync(runsFile, JSON.stringify({ runner, problems }) + '\n');
}
const failed = checks.filter((c) => !c.passed).length;
console.log(
  `${runner}: merged ${checks.length} check(s), ${failed} failed${problems.length ? `; ${problems.join('; ')}` : ''}`
);
