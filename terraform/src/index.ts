export { loadTerraformConfig, TerraformConfigError } from './terraformConfig';
export type { HclBody, HclValue, TerraformConfig } from './terraformConfig';
export { plannedResources, planTerraform, TerraformPlanError } from './terraformPlan';
export type { PlannedResource, PlanValue, TerraformPlan } from './terraformPlan';
