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
};
