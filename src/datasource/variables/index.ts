export { namespacesWithRollouts, rolloutNames, labelValues } from './rolloutVariables';
export { compileRegexFilter, InvalidRegexError } from './regexFilter';
