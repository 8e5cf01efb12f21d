module.exports = {
  // Prettier configuration provided by Grafana scaffolding
  ...require('./.config/.prettierrc.js'),
  // Kubernetes manifests keep the double quotes kubectl and the Kubernetes docs use.
  overrides: [{ files: 'deploy/**/*.yaml', options: { singleQuote: false } }],
};
