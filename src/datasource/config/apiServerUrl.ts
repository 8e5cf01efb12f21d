/**
 * The data source proxy appends Kubernetes API paths to the API server URL, so the URL must be a bare
 * origin: scheme, host and optional port, nothing that could change where those paths end up.
 */

const EXAMPLE = 'https://kubernetes.example.com:6443';

/** Returns why the URL cannot be used as the API server URL, or undefined when it can. */
export function apiServerUrlProblem(input: string): string | undefined {
  const value = input.trim();
  if (value === '') {
    return `Enter the URL of the Kubernetes API server, e.g. ${EXAMPLE}`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') {
    return `Start the URL with https:// (or http:// for an API server without TLS), e.g. ${EXAMPLE}`;
  }
  const afterScheme = value.slice(scheme.length + '://'.length);
  const authority = /^[^/?#\\]*/.exec(afterScheme)?.[0] ?? '';
  const rest = afterScheme.slice(authority.length);

  if (value.includes('..')) {
    return 'Remove ".." from the URL.';
  }
  if (authority.includes('@')) {
    return 'Remove the user name and password from the URL: set credentials under Authentication.';
  }
  if (authority === '') {
    return `Add the host name of the API server, e.g. ${EXAMPLE}`;
  }
  if (rest.includes('\\')) {
    return 'Remove the backslash from the URL.';
  }
  if (rest.includes('?')) {
    return 'Remove the query string (?…): the Kubernetes API paths are appended to this URL.';
  }
  if (rest.includes('#')) {
    return 'Remove the fragment (#…) from the URL.';
  }
  if (rest !== '' && rest !== '/') {
    return 'Remove the path: enter only scheme, host and port, the Kubernetes API paths are appended to this URL.';
  }
  let hostname: string;
  try {
    hostname = new URL(value).hostname;
  } catch {
    return `This is not a valid URL: check the host name and port, e.g. ${EXAMPLE}`;
  }
  if (hostname === '' || hostname.includes('..')) {
    return `Add a valid host name, e.g. ${EXAMPLE}`;
  }
  return undefined;
}

/** Trims the URL and removes a trailing slash; returns the input unchanged when it is not a usable URL. */
export function normalizeApiServerUrl(input: string): string {
  if (apiServerUrlProblem(input) !== undefined) {
    return input;
  }
  return input.trim().replace(/\/$/, '');
}
