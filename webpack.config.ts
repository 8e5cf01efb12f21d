import CopyWebpackPlugin from 'copy-webpack-plugin';
import { type Compiler, WebpackError, type Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * Packages of the test and demo pages only: Grafana provides its own copies at runtime, so a plugin that bundled
 * them would ship a second dashboard library. The build fails if any module of theirs enters dist/.
 */
const TEST_ONLY_PACKAGES = ['@grafana/scenes'];

class TestOnlyPackagesGuard {
  apply(compiler: Compiler) {
    compiler.hooks.afterCompile.tap('TestOnlyPackagesGuard', (compilation) => {
      const resources = [...compilation.modules].map((module) => (module as { resource?: string }).resource ?? '');
      for (const name of TEST_ONLY_PACKAGES) {
        const bundled = resources.filter((resource) => resource.includes(`/node_modules/${name}/`));
        if (bundled.length > 0) {
          const message = `${name} must not be bundled into the plugin: ${bundled.length} of its modules are, e.g. ${bundled[0]}`;
          compilation.errors.push(new WebpackError(message));
        }
      }
    });
  }
}

// The scaffold copies only the root plugin's logos; the nested data source needs its own under dist/datasource/img.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] }),
      new TestOnlyPackagesGuard(),
    ],
  });
};

export default config;
