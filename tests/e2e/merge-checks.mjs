// Merges check results written as JSON lines (one {"id","passed","durationMs","details"} per line) into the
// e2e report. A suite that was expected to run but wrote nothing, or whose runner failed without recording a
// failed check (a test file that did not load, say), counts as one failed check named after the suite.
//   node tests/e2e/merge-checks.mjs <report.json> <checks.jsonl> <suite-id> [<runner exit code>]
import fs from 'node:fs';

const [reportFile, checksFile, suiteId, exitCode = '0'] = process.argv.slice(2);
const report = fs.existsSync(reportFile)
  ? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
  : { components: [], checks: [] };
const lines = fs.existsSync(checksFile) ? fs.readFileSync(checksFile, 'utf8').split('\n').filter(Boolean) : [];
const checks = lines.map((line) => JSON.parse(line));
if (checks.length === 0) {
  checks.push({
    id: suiteId,
    passed: false,
    durationMs: 0,
    details: { error: `the ${suiteId} suite recorded no check` },
  });
}
const ids = new Set(checks.map((c) => c.id));
report.checks = [...report.checks.filter((c) => !ids.has(c.id)), ...checks];
fs.writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
console.log(`${suiteId}: merged ${checks.length} check(s), ${checks.filter((c) => !c.passed).length} failed`);
