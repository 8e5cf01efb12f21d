// Adds the check `testbed/start` to the report: did the test bed start, and how long it took.
//   node tests/e2e/testbed-check.mjs <passed: true|false> <run dir> <start log>
import fs from 'node:fs';
import path from 'node:path';
import { TEST_BED } from './lib/components.mjs';
import { Report } from './lib/report.mjs';

const [passedArg, runDir, logFile] = process.argv.slice(2);
const reportFile = process.env.E2E_REPORT ?? 'test-results/e2e-report.json';
const report = new Report();
const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);

const componentsJson = read(path.join(runDir, 'components.json'));
for (const c of componentsJson ? JSON.parse(componentsJson) : []) {
  report.addComponent(c.name, c.version);
}
const timings = read(path.join(runDir, 'timings.json'));
await report.run(
  'testbed/start',
  () => {
    if (passedArg !== 'true') {
      const tail = (read(logFile) ?? '').trim().split('\n').slice(-40);
      throw Object.assign(new Error('the test bed did not start'), { details: { log: tail } });
    }
    return { runDir, ...(timings ? JSON.parse(timings) : {}) };
  },
  { against: TEST_BED }
);
report.mergeInto(reportFile);
