/** Label and annotation keys the Argo Rollouts controller writes on the objects the timeline reads. */
export const ANNOTATION_REVISION = 'rollout.argoproj.io/revision';
export const ANNOTATION_REVISION_HISTORY = 'rollout.argoproj.io/revision-history';
export const LABEL_POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
export const LABEL_ROLLOUT_TYPE = 'rollout-type';
export const LABEL_STEP_INDEX = 'step-index';
