// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

const swcTransform = Object.values(base.transform)[0];

module.exports = {
  ...base,
  // @grafana/data reaches d3 packages shipped as .mjs, which the scaffold's transform key does not match.
  transform: { '^.+\\.m?(t|j)sx?$': swcTransform },
  // jsdom resolves `yaml` to its untranspiled ES module browser build.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, 'yaml'])],
  // Unit tests of the harness pages (browser host, scenes page) live beside them.
  testMatch: [...base.testMatch, '<rootDir>/tests/{browser,scenes}/**/*.test.{ts,tsx}'],
  // Nothing here is timed (speed is measured by the benchmark): the limit only catches a test that hangs. The
  // editors' tests type character by character into jsdom, which on a busy 2-core machine can take over 5 s.
  testTimeout: 60_000,
};
