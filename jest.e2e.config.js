// Plugin-level real-stack checks: the data source's own code against the running test bed (npm run test:e2e).
process.env.TZ = 'UTC';

const unit = require('./jest.config');

module.exports = {
  ...unit,
  testMatch: ['<rootDir>/tests/e2e/plugin/**/*.e2e.test.ts'],
};
