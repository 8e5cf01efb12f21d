/**
 * Kubernetes label selectors: validated so that a typo is reported with what is wrong, and matched against
 * labels as the API server matches them. Grammar and meaning as in k8s.io/apimachinery/pkg/labels:
 * comma-separated requirements `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`,
 * `key notin (a,b)`; `!=` and `notin` also match objects without the label.
 */

const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const PREFIX = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const KEY = new RegExp(`^(${PREFIX}/)?${NAME}$`);
const VALUE = new RegExp(`^(${NAME})?$`);

const SET_REQUIREMENT = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQUALITY_REQUIREMENT = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/;

export class LabelSelectorError extends Error {
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, LabelSelectorError.prototype);
    this.name = 'LabelSelectorError';
  }
}

/** Splits on commas that are not inside `( … )`. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    }
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

function checkKey(key: string, requirement: string): void {
  const name = key.includes('/') ? key.slice(key.lastIndexOf('/') + 1) : key;
  const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
  if (!KEY.test(key) || prefix.length > 253) {
    throw new LabelSelectorError(`"${key}" in "${requirement}" is not a valid label key.`);
  }
  if (name.length > 63) {
    throw new LabelSelectorError(`The label key "${key}" is longer than 63 characters.`);
  }
}

function checkValue(value: string, requirement: string): void {
  if (!VALUE.test(value)) {
    throw new LabelSelectorError(
      `"${value}" in "${requirement}" is not a valid label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).`
    );
  }
}

type Labels = Readonly<Record<string, unknown>> | undefined;

/** One requirement, checked, as a test of an object's labels. */
function requirementMatcher(requirement: string): (labels: Labels) => boolean {
  checkRequirement(requirement);
  const set = SET_REQUIREMENT.exec(requirement);
  if (set) {
    const [, key, operator, list] = set;
    const values = new Set(list.split(',').map((value) => value.trim()));
    return operator === 'in'
      ? (labels) => typeof labels?.[key] === 'string' && values.has(labels[key] as string)
      : (labels) => typeof labels?.[key] !== 'string' || !values.has(labels[key] as string);
  }
  const equality = EQUALITY_REQUIREMENT.exec(requirement);
  if (equality) {
    const [, key, operator, value] = equality;
    return operator === '!=' ? (labels) => labels?.[key] !== value : (labels) => labels?.[key] === value;
  }
  if (requirement.startsWith('!')) {
    const key = requirement.slice(1).trim();
    return (labels) => typeof labels?.[key] !== 'string';
  }
  return (labels) => typeof labels?.[requirement] === 'string';
}

/**
 * A test of labels (`metadata.labels`) against the selector, as the API server applies it; throws a
 * LabelSelectorError for an invalid selector. An empty selector matches everything.
 */
export function labelSelectorMatcher(selector: string): (labels: Labels) => boolean {
  const trimmed = selector.trim();
  if (trimmed === '') {
    return () => true;
  }
  const requirements = splitRequirements(trimmed).map(requirementMatcher);
  return (labels) => requirements.every((matches) => matches(labels));
}

function checkRequirement(requirement: string): void {
  if (requirement === '') {
    throw new LabelSelectorError(
      'The label selector has an empty requirement (two commas in a row, or a trailing comma).'
    );
  }
  const set = SET_REQUIREMENT.exec(requirement);
  if (set) {
    checkKey(set[1], requirement);
    const values = set[3].split(',').map((value) => value.trim());
    if (values.length === 1 && values[0] === '') {
      throw new LabelSelectorError(`"${requirement}" needs at least one value inside the parentheses.`);
    }
    values.forEach((value) => checkValue(value, requirement));
    return;
  }
  const equality = EQUALITY_REQUIREMENT.exec(requirement);
  if (equality) {
    checkKey(equality[1], requirement);
    checkValue(equality[3], requirement);
    return;
  }
  const key = requirement.startsWith('!') ? requirement.slice(1).trim() : requirement;
  if (/[\s=!()]/.test(key)) {
    throw new LabelSelectorError(
      `"${requirement}" is not a label requirement. Use key=value, key!=value, key in (a,b), key notin (a,b), key or !key.`
    );
  }
  checkKey(key, requirement);
}

/** Throws a LabelSelectorError that says what is wrong; an empty selector selects everything. */
export function validateLabelSelector(selector: string): void {
  const trimmed = selector.trim();
  if (trimmed === '') {
    return;
  }
  splitRequirements(trimmed).forEach(checkRequirement);
}
