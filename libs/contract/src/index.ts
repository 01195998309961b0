export {
  commonMetrics,
  consumerNames,
  consumerSettings,
  contract,
  domainSettings,
  environmentNames,
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
  DomainSettings,
  EnvironmentName,
  MappingSettings,
  MetricOf,
  ParameterName,
  StreamName,
  StreamSettings,
  Tuning,
  VariableOf,
} from './contract';
export { checkContract, ContractError } from './checkContract';
export { ContractReferenceError, resolveEnvironment, resolveReference } from './resolve';
export type { ResourceMap, Target } from './resolve';
export {
  ATTRIBUTES,
  CONSUMER_SETTINGS,
  contractJsonSchema,
  DOMAIN_SETTINGS,
  contractSchema,
  parseReference,
  RESOURCE_KINDS,
  STREAM_SETTINGS,
  tuningSchema,
} from './schema';
export type { ContractShape, Reference, ResourceKind } from './schema';
