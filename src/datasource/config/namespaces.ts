/** Kubernetes namespace names are DNS-1123 labels. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAMESPACE_LENGTH = 63;

export function isValidNamespaceName(name: string): boolean {
  return name.length <= MAX_NAMESPACE_LENGTH && DNS_1123_LABEL.test(name);
}

/** Returns a message naming every invalid namespace, or undefined when all are valid. */
export function namespacesProblem(names: readonly string[]): string | undefined {
  const invalid = names.filter((name) => !isValidNamespaceName(name));
  if (invalid.length === 0) {
    return undefined;
  }
  const quoted = invalid.map((name) => `"${name}"`).join(', ');
  const subject =
    invalid.length === 1 ? `${quoted} is not a valid namespace name` : `${quoted} are not valid namespace names`;
  return `${subject}: use lowercase letters, digits and "-", start and end with a letter or digit, at most ${MAX_NAMESPACE_LENGTH} characters.`;
}

/** Trims, drops empty entries and duplicates, keeping the order the user typed. */
export function cleanNamespaceList(names: readonly string[]): string[] {
  return Array.from(new Set(names.map((name) => name.trim()).filter((name) => name !== '')));
}
