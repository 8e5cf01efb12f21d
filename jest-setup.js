// Browser shims from the scaffold apply only to jsdom tests; `@jest-environment node` tests (real HTTP servers) skip them.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
