/**
 * The fields of Argo Rollouts objects (argoproj.io/v1alpha1) that the plugin reads. No package publishes these
 * types, so they are written from the CRD schemas; every field is optional because objects written by older
 * controllers lack many of them (no `status.phase` before v1.0, no `completedAt` on AnalysisRuns before v1.7).
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector, ObjectMeta } from 'kubernetes-types/meta/v1';

/** Kubernetes serialises int-or-string fields (`maxSurge`, pause `duration`) as either. */
export type IntOrString = number | string;

/** Set by the controller since v1.0; `Error` exists only as a label of the `rollout_info` metric. */
export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

/** Phase of AnalysisRuns, Experiments and their per-metric and per-measurement results. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export type PauseReason = 'InconclusiveAnalysisRun' | 'InconclusiveExperiment' | 'CanaryPauseStep' | 'BlueGreenPause';

/** Status of a Kubernetes-style condition; the types and reasons are listed in the reference notes. */
export interface ArgoCondition {
  type?: string;
  status?: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface AnalysisTemplateRef {
  templateName?: string;
  clusterScope?: boolean;
}

export interface AnalysisArgument {
  name?: string;
  value?: string;
}

export interface RolloutAnalysis {
  templates?: AnalysisTemplateRef[];
  args?: AnalysisArgument[];
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: IntOrString };
  analysis?: RolloutAnalysis;
  experiment?: {
    duration?: string;
    templates?: Array<{ name?: string; specRef?: string; replicas?: number; weight?: number }>;
    analyses?: Array<{ name?: string; templateName?: string; clusterScope?: boolean }>;
  };
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
  setHeaderRoute?: { name?: string };
  setMirrorRoute?: { name?: string; percentage?: number };
  /** A step plugin registered in the controller's ConfigMap (`stepPlugins`); `config` is the plugin's own. */
  plugin?: { name?: string; config?: unknown };
}

export interface CanaryStrategy {
  steps?: CanaryStep[];
  canaryService?: string;
  stableService?: string;
  /** Background analysis that runs for the whole update. */
  analysis?: RolloutAnalysis & { startingStep?: number };
  /** Present when traffic is shifted by a mesh or ingress; the keys name the router (istio, nginx, alb, ...). */
  trafficRouting?: Record<string, unknown>;
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
}

export interface BlueGreenStrategy {
  activeService?: string;
  previewService?: string;
  /** Default true. */
  autoPromotionEnabled?: boolean;
  autoPromotionSeconds?: number;
  prePromotionAnalysis?: RolloutAnalysis;
  postPromotionAnalysis?: RolloutAnalysis;
  scaleDownDelaySeconds?: number;
}

export interface RolloutSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  /** Set instead of `template` when the Rollout reuses a Deployment's pod template. */
  workloadRef?: { apiVersion?: string; kind?: string; name?: string; scaleDown?: string };
  strategy?: { canary?: CanaryStrategy; blueGreen?: BlueGreenStrategy };
  /** ReplicaSets kept for history; the controller's default is 10. */
  revisionHistoryLimit?: number;
  paused?: boolean;
  restartAt?: string;
  progressDeadlineSeconds?: number;
  analysis?: { successfulRunHistoryLimit?: number; unsuccessfulRunHistoryLimit?: number };
}

/** `{name, status, message}` of an AnalysisRun the Rollout is waiting on. */
export interface RolloutAnalysisRunStatus {
  name?: string;
  status?: AnalysisPhase;
  message?: string;
}

export interface WeightDestination {
  weight?: number;
  serviceName?: string;
  podTemplateHash?: string;
}

export interface RolloutStatus {
  phase?: RolloutPhase;
  message?: string;
  /** True while aborted. */
  abort?: boolean;
  abortedAt?: string;
  pauseConditions?: Array<{ reason?: PauseReason; startTime?: string }>;
  controllerPause?: boolean;
  /** Hash of the desired pod template: the `rollouts-pod-template-hash` label of the desired ReplicaSet. */
  currentPodHash?: string;
  /** Pod hash of the stable ReplicaSet; equal to `currentPodHash` once fully promoted. */
  stableRS?: string;
  currentStepHash?: string;
  /** 0-based index of the step in progress; equals the number of steps when all are done. */
  currentStepIndex?: number;
  conditions?: ArgoCondition[];
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  /** A string, unlike `metadata.generation`. */
  observedGeneration?: string;
  restartedAt?: string;
  promoteFull?: boolean;
  canary?: {
    currentStepAnalysisRunStatus?: RolloutAnalysisRunStatus;
    currentBackgroundAnalysisRunStatus?: RolloutAnalysisRunStatus;
    currentExperiment?: string;
    weights?: {
      canary?: WeightDestination;
      stable?: WeightDestination;
      additional?: WeightDestination[];
      verified?: boolean;
    };
    stablePingPong?: 'ping' | 'pong';
    /** Since v1.8: one per plugin step and operation of the current update (reset when a new update starts). */
    stepPluginStatuses?: StepPluginStatus[];
  };
  blueGreen?: {
    activeSelector?: string;
    previewSelector?: string;
    prePromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
    postPromotionAnalysisRunStatus?: RolloutAnalysisRunStatus;
  };
  /** Start, end and outcome of the latest update; only written by controllers newer than v1.10.0-rc1. */
  duration?: {
    rolloutStartedAt?: string;
    finishedAt?: string;
    manualPauseStartedAt?: string;
    totalManualPauseDurationSeconds?: number;
    completionStatus?: 'Promoted' | 'FastPromoted' | 'Aborted' | 'Superseded' | 'RolledBack' | 'FastRolledBack';
  };
}

/**
 * What the controller recorded of one operation of a plugin step (v1.8): `Run` executes the step; `Terminate` ends
 * a step still running when the update is fully promoted; `Abort` undoes a step that ran, when the update is aborted.
 */
export interface StepPluginStatus {
  /** 0-based index of the step. */
  index?: number;
  name?: string;
  operation?: 'Run' | 'Terminate' | 'Abort';
  phase?: 'Running' | 'Successful' | 'Failed' | 'Error';
  message?: string;
  startedAt?: string;
  updatedAt?: string;
  finishedAt?: string;
  /** Wait before the plugin is called again (`30s`). */
  backoff?: string;
  executions?: number;
  /** The plugin is disabled in the controller's ConfigMap: the step was skipped. */
  disabled?: boolean;
  /** The plugin's own state, opaque. */
  status?: unknown;
}

export interface Rollout {
  apiVersion?: string;
  kind?: 'Rollout';
  metadata?: ObjectMeta;
  spec?: RolloutSpec;
  status?: RolloutStatus;
}

export interface AnalysisMetric {
  name?: string;
  interval?: string;
  initialDelay?: string;
  count?: IntOrString;
  successCondition?: string;
  failureCondition?: string;
  failureLimit?: IntOrString;
  inconclusiveLimit?: IntOrString;
  consecutiveErrorLimit?: IntOrString;
  /** One key per provider (prometheus, web, job, datadog, ...). */
  provider?: Record<string, unknown>;
}

export interface Measurement {
  phase?: AnalysisPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The metric value as text. */
  value?: string;
  metadata?: Record<string, string>;
  resumeAt?: string;
}

export interface MetricResult {
  name?: string;
  phase?: AnalysisPhase;
  message?: string;
  /** Only the last few measurements are kept (10 by default). */
  measurements?: Measurement[];
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
  consecutiveError?: number;
  dryRun?: boolean;
}

export interface RunSummary {
  count?: number;
  successful?: number;
  failed?: number;
  inconclusive?: number;
  error?: number;
}

export interface AnalysisRun {
  apiVersion?: string;
  kind?: 'AnalysisRun';
  metadata?: ObjectMeta;
  spec?: {
    metrics?: AnalysisMetric[];
    args?: AnalysisArgument[];
    terminate?: boolean;
  };
  status?: {
    phase?: AnalysisPhase;
    message?: string;
    startedAt?: string;
    /** Written by controllers since v1.7. */
    completedAt?: string;
    metricResults?: MetricResult[];
    runSummary?: RunSummary;
    dryRunSummary?: RunSummary;
  };
}

export interface ExperimentTemplateStatus {
  name?: string;
  status?: 'Progressing' | 'Running' | 'Successful' | 'Failed' | 'Error';
  message?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  lastTransitionTime?: string;
  podTemplateHash?: string;
  serviceName?: string;
}

export interface Experiment {
  apiVersion?: string;
  kind?: 'Experiment';
  metadata?: ObjectMeta;
  spec?: {
    duration?: string;
    terminate?: boolean;
    templates?: Array<{ name?: string; replicas?: number }>;
    analyses?: Array<{ name?: string; templateName?: string; clusterScope?: boolean; requiredForCompletion?: boolean }>;
  };
  status?: {
    phase?: AnalysisPhase;
    message?: string;
    /** When every template became available; the experiment's duration counts from here. */
    availableAt?: string;
    templateStatuses?: ExperimentTemplateStatus[];
    analysisRuns?: Array<{ name?: string; analysisRun?: string; phase?: AnalysisPhase; message?: string }>;
    conditions?: ArgoCondition[];
  };
}
