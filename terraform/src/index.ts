export { findReferences, loadTerraformConfig, TerraformConfigError } from './terraformConfig';
export type { HclBody, HclValue, TerraformConfig } from './terraformConfig';
