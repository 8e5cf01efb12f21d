import { defineConfig } from 'eslint/config';
import baseConfig from './.config/eslint.config.mjs';

export default defineConfig([
  {
    ignores: [
      '**/logs',
      '**/*.log',
      '**/npm-debug.log*',
      '**/yarn-debug.log*',
      '**/yarn-error.log*',
      '**/.pnpm-debug.log*',
      '**/node_modules/',
      '.yarn/cache',
      '.yarn/unplugged',
      '.yarn/build-state.yml',
      '.yarn/install-state.gz',
      '**/.pnp.*',
      '**/pids',
      '**/*.pid',
      '**/*.seed',
      '**/*.pid.lock',
      '**/lib-cov',
      '**/coverage',
      '**/dist/',
      '**/artifacts/',
      '**/work/',
      '**/ci/',
      'test-results/',
      'playwright-report/',
      'blob-report/',
      'playwright/.cache/',
      'playwright/.auth/',
      '**/.idea',
      '**/.eslintcache',
    ],
  },
  ...baseConfig,
  {
    // Grafana's dashboard library is a dependency of the test and demo pages only (tests/scenes/): Grafana brings its
    // own. The build refuses it too (webpack.config.ts). Listed first: the stricter rules below replace it.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@grafana/scenes', message: 'Test and demo pages only: never bundled into the plugin.' }] },
      ],
    },
  },
  {
    // The pure pipeline and the object store: plain data in, plain data out. No HTTP, no React, no Grafana runtime
    // services.
    files: ['src/datasource/{timeline,frames,tags,filters,store}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/kube', '**/kube/**'], message: 'The pure pipeline does not talk HTTP: pass it objects.' },
            {
              group: ['**/query/**', '**/components/**', '**/datasource'],
              message: 'Orchestration depends on the pipeline, not the other way round.',
            },
            {
              group: ['react', 'react-dom', '@grafana/ui', '@grafana/runtime'],
              message: 'The pure pipeline renders nothing and uses no Grafana runtime service.',
            },
          ],
        },
      ],
    },
  },
  {
    // The shapes of Argo Rollouts and Kubernetes objects: imported by every layer, importing none of ours.
    files: ['src/datasource/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['./*', '../*'], message: 'model/ imports nothing of ours.' }] },
      ],
    },
  },
  {
    // The oracle of the real-stack checks derives what the plugin must show on its own: it never reads the plugin.
    files: ['tests/e2e/oracle/**/*.{mjs,ts}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/**'], message: 'The oracle imports nothing from src/: it must not share a defect.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
  },
]);
