import type { KubeApi } from '../kube/client';
import { isKubeError } from '../kube/errors';
import type { Informer, ReadOptions } from '../kube/informer';
import { NAMESPACES, qualifiedName, ROLLOUTS } from '../kube/resources';
import type { ListRequest } from './plan';

/**
 * Makes the informer's store current for what a query reads. What one namespace may not be read (RBAC) or a kind
 * this cluster lacks becomes a notice and the rest is still shown; a failure that leaves nothing to show (the token
 * is rejected, the server is unreachable, Rollouts cannot be read anywhere) is thrown with its message.
 */
export async function readObjects(
  informer: Informer,
  client: KubeApi,
  requests: readonly ListRequest[],
  options: ReadOptions = {}
): Promise<{ notices: string[] }> {
  const outcomes = await informer.read(requests, options);
  const notices: string[] = [];
  for (const { request, error } of outcomes) {
    if (error === undefined) {
      continue;
    }
    const partial =
      isKubeError(error) &&
      (error.kind === 'forbidden' || (error.kind === 'crdMissing' && request.resource !== ROLLOUTS));
    if (!partial) {
      throw error;
    }
    if (!notices.includes(error.message)) {
      notices.push(error.message);
    }
  }
  const rolloutReads = outcomes.filter((outcome) => outcome.request.resource === ROLLOUTS);
  if (rolloutReads.length > 0 && rolloutReads.every((outcome) => outcome.error !== undefined)) {
    throw rolloutReads[0].error;
  }
  const emptyNamespaces = rolloutReads
    .filter((outcome) => outcome.error === undefined && outcome.request.namespace !== undefined)
    .map((outcome) => outcome.request.namespace as string)
    .filter((namespace) => informer.store.rollouts(new Set([namespace])).length === 0);
  notices.push(...(await missingNamespaceNotices(client, emptyNamespaces, options.signal)));
  return { notices };
}

/** A namespace without Rollouts may not exist at all: say so, when the identity may look. */
async function missingNamespaceNotices(client: KubeApi, namespaces: string[], signal?: AbortSignal): Promise<string[]> {
  const missing = await Promise.all(
    namespaces.map((namespace) =>
      client.get(NAMESPACES, namespace, { signal }).then(
        () => undefined,
        (error: unknown) => (isKubeError(error) && error.kind === 'notFound' ? namespace : undefined)
      )
    )
  );
  return missing
    .filter((namespace): namespace is string => namespace !== undefined)
    .map(
      (namespace) => `Namespace "${namespace}" does not exist in this cluster, so it has no ${qualifiedName(ROLLOUTS)}.`
    );
}
