import { apiServerUrlProblem, normalizeApiServerUrl } from './apiServerUrl';

describe('apiServerUrlProblem', () => {
  it.each([
    'https://kubernetes.example.com',
    'https://kubernetes.example.com:6443',
    'https://kubernetes.example.com:6443/',
    'http://127.0.0.1:8080',
    'https://[fd00::1]:6443',
    '  https://kubernetes.example.com  ',
    'HTTPS://Kubernetes.Example.com',
  ])('accepts %s', (url) => {
    expect(apiServerUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ['', /Enter the URL/],
    ['   ', /Enter the URL/],
    ['kubernetes.example.com:6443', /Start the URL with https:\/\//],
    ['ftp://kubernetes.example.com', /Start the URL with https:\/\//],
    ['javascript://kubernetes.example.com', /Start the URL with https:\/\//],
    ['https:/kubernetes.example.com', /Start the URL with https:\/\//],
    ['https://', /Add the host name/],
    ['https:///api', /Add the host name/],
    ['https://user:secret@kubernetes.example.com', /Remove the user name and password/],
    ['https://kubernetes.example.com/api', /Remove the path/],
    ['https://kubernetes.example.com//', /Remove the path/],
    ['https://kubernetes.example.com/%2e%2e/api', /Remove the path/],
    ['https://kubernetes.example.com/..', /Remove "\.\."/],
    ['https://kubernetes.example.com/a/../b', /Remove "\.\."/],
    ['https://kubernetes.example.com?x=1', /Remove the query string/],
    ['https://kubernetes.example.com/?x=1', /Remove the query string/],
    ['https://kubernetes.example.com#top', /Remove the fragment/],
    ['https://kubernetes.example.com\\evil', /Remove the backslash/],
    ['https://kubernetes.example.com:99999', /not a valid URL/],
    ['https://kuber netes.example.com', /not a valid URL/],
  ])('rejects %j with a message that says what to fix', (url, message) => {
    expect(apiServerUrlProblem(url)).toMatch(message);
  });
});

describe('normalizeApiServerUrl', () => {
  it('removes the trailing slash and surrounding spaces of a valid URL', () => {
    expect(normalizeApiServerUrl(' https://kubernetes.example.com:6443/ ')).toBe('https://kubernetes.example.com:6443');
  });

  it('returns a valid URL without trailing slash unchanged', () => {
    expect(normalizeApiServerUrl('https://kubernetes.example.com')).toBe('https://kubernetes.example.com');
  });

  it('returns an invalid URL exactly as typed', () => {
    expect(normalizeApiServerUrl('https://kubernetes.example.com/api/ ')).toBe('https://kubernetes.example.com/api/ ');
  });
});
