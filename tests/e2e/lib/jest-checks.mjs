// The checks of a jest runner (tests/e2e/plugin/checks.ts writes one JSON line per check) joined with jest's own
// results (`jest --json`): a test that jest failed before or outside the check's body (a failing beforeAll, say)
// becomes a failed check, and a test file that could not run becomes a problem of the runner, which the
// finalizer names for every id that is then missing. Pure: data in, data out.

const ANSI = /\u001b\[[0-9;]*m/g;
const clean = (text) => String(text ?? '').replace(ANSI, '');
const firstLines = (text, n) =>
  clean(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, n);

/** One record per id: a failed record wins over a passed one (a late or repeated write cannot turn it green). */
function recordsById(lines, problems) {
  const byId = new Map();
  lines.forEach((line, index) => {
    let record;
    try {
      record = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1} of the check results is not JSON: ${line.slice(0, 120)}`);
      return;
    }
    if (typeof record?.id !== 'string' || typeof record.passed !== 'boolean') {
      problems.push(`line ${index + 1} of the check results is not a check: ${line.slice(0, 120)}`);
      return;
    }
    const seen = byId.get(record.id);
    if (!seen || (seen.passed && !record.passed)) {
      byId.set(record.id, record);
    }
  });
  return byId;
}

/**
 * @param {{lines: string[], jestResults?: object, relativeTo?: string}} input
 *   lines: the JSON lines the checks wrote; jestResults: what `jest --json` wrote (undefined when it wrote
 *   nothing); relativeTo: a directory test file paths are shown relative to.
 * @returns {{checks: object[], problems: string[]}}
 */
export function jestChecks({ lines, jestResults, relativeTo = '' }) {
  const problems = [];
  const byId = recordsById(lines, problems);
  const shortPath = (file) =>
    relativeTo && file.startsWith(`${relativeTo}/`) ? file.slice(relativeTo.length + 1) : file;
  if (!jestResults) {
    problems.push('jest wrote no results (it did not start, or it crashed)');
    return { checks: [...byId.values()], problems };
  }
  for (const file of jestResults.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    if (file.testExecError || (file.status === 'failed' && tests.length === 0)) {
      const message = file.testExecError?.message ?? file.message;
      const said = firstLines(message, 4)
        .map((l) => l.trim())
        .filter((l) => !l.startsWith('●'));
      problems.push(`${shortPath(file.name)} did not run: ${said[0] ?? '(jest gave no message)'}`);
    }
    for (const test of tests) {
      if (test.status !== 'failed') {
        continue;
      }
      const jestSays = firstLines((test.failureMessages ?? []).join('\n'), 12);
      const record = byId.get(test.title);
      if (!record) {
        byId.set(test.title, {
          id: test.title,
          passed: false,
          durationMs: test.duration ?? 0,
          against: [],
          details: { error: `jest failed it before or outside the check's body: ${jestSays[0] ?? ''}`, jest: jestSays },
        });
      } else if (record.passed) {
        byId.set(test.title, {
          ...record,
          passed: false,
          details: {
            ...record.details,
            error: `the check recorded a pass, but jest failed it: ${jestSays[0] ?? ''}`,
            jest: jestSays,
          },
        });
      }
    }
  }
  return { checks: [...byId.values()], problems };
}
