export {
  commonMetrics,
  consumerNames,
  consumerSettings,
  contract,
  environmentNames,
  functionNames,
  functionOf,
  ingestNames,
  ingestSettings,
  isConsumer,
  limitsOf,
  mappingSettings,
  metricsOf,
  parameterValue,
  RUNTIME_VARIABLES,
  settingViolations,
  streamNames,
  streamSettings,
  unreadVariables,
  variablesOf,
} from './contract';
export type {
  CommonMetric,
  CommonVariable,
  ConsumerName,
  ConsumerSettings,
  Contract,
  EnvironmentName,
  FunctionName,
  IngestName,
  IngestSettings,
  MappingSettings,
  MetricOf,
  ParameterName,
  StreamName,
  StreamSettings,
  Tuning,
  VariableOf,
} from './contract';
export { checkContract, ContractError } from './checkContract';
export {
  commonOutputs,
  consumerStages,
  inputStreams,
  outputsOf,
  parseOutput,
  pipelineOutputs,
  writersOf,
} from './outputs';
export type { Output, PipelineOutput } from './outputs';
export { ContractReferenceError, resolveEnvironment, resolveReference } from './resolve';
export type { ResourceMap, Target } from './resolve';
export {
  ATTRIBUTES,
  CONSUMER_SETTINGS,
  INGEST_SETTINGS,
  INGEST_TRIGGERS,
  contractJsonSchema,
  contractSchema,
  OUTPUT_FORMATS,
  parseReference,
  RESOURCE_KINDS,
  STREAM_SETTINGS,
  tuningSchema,
} from './schema';
export type { ContractShape, OutputFormat, Reference, ResourceKind } from './schema';
