package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// server answers OpenTofu as the AWS provider would, without calling AWS: it serves the schema (so OpenTofu
// itself checks every argument's name, type and presence), plans creates with every computed attribute the
// configuration leaves unset as unknown, and reads the few data sources a plan needs with fixed offline
// values. It refuses to apply.
type server struct {
	schemas *schemas
	region  string
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func errorDiag(summary, detail string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

const offlineDetail = "This is the offline schema provider of Shardline's Terraform checks: it plans, it never calls AWS."

func (s *server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true}}
	for _, name := range sortedKeys(s.schemas.resources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schemas.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true},
		Provider:           s.schemas.provider,
		ResourceSchemas:    s.schemas.resources,
		DataSourceSchemas:  s.schemas.dataSources,
	}, nil
}

func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{}, nil
}

func (s *server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

// ConfigureProvider keeps the region, which the real provider requires (from its configuration or the
// environment) and which aws_region reads.
func (s *server) ConfigureProvider(_ context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	config, err := req.Config.Unmarshal(s.schemas.provider.ValueType())
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return nil, err
	}
	region := attrs["region"]
	if region.IsKnown() && !region.IsNull() {
		if err := region.As(&s.region); err != nil {
			return nil, err
		}
	}
	if s.region == "" {
		s.region = os.Getenv("AWS_REGION")
	}
	if s.region == "" {
		s.region = os.Getenv("AWS_DEFAULT_REGION")
	}
	if s.region == "" && region.IsKnown() {
		return &tfprotov5.ConfigureProviderResponse{Diagnostics: errorDiag("Missing region",
			"The AWS provider needs a region: set `region` in the provider block or AWS_REGION.")}, nil
	}
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

// OpenTofu checks names, types, required arguments and block counts against the schema before it asks the
// provider. What the provider adds, and the bindings still allow, is refusing a value for a computed-only
// attribute (as the real provider's SDK does); its other validators (enums, ARN formats, ranges) are not in
// the bindings.
func (s *server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	schema, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown resource type %s", req.TypeName)
	}
	diags, err := validateConfig(schema, req.Config)
	return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: diags}, err
}

func (s *server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	schema, ok := s.schemas.dataSources[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown data source %s", req.TypeName)
	}
	diags, err := validateConfig(schema, req.Config)
	return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: diags}, err
}

func validateConfig(schema *tfprotov5.Schema, config *tfprotov5.DynamicValue) ([]*tfprotov5.Diagnostic, error) {
	value, err := config.Unmarshal(schema.ValueType())
	if err != nil {
		return nil, err
	}
	var diags []*tfprotov5.Diagnostic
	readOnly(schema.Block, value, tftypes.NewAttributePath(), &diags)
	return diags, nil
}

// readOnly reports every computed-only attribute the configuration sets, nested blocks included.
func readOnly(block *tfprotov5.SchemaBlock, v tftypes.Value, path *tftypes.AttributePath, diags *[]*tfprotov5.Diagnostic) {
	var attrs map[string]tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&attrs) != nil {
		return
	}
	for _, a := range block.Attributes {
		if a.Computed && !a.Optional && !a.Required && !attrs[a.Name].IsNull() {
			*diags = append(*diags, &tfprotov5.Diagnostic{
				Severity:  tfprotov5.DiagnosticSeverityError,
				Summary:   "Invalid Configuration for Read-Only Attribute",
				Detail:    fmt.Sprintf("Cannot set value for this attribute as the provider has marked it as read-only. Remove the configuration line setting the value (%q).", a.Name),
				Attribute: path.WithAttributeName(a.Name),
			})
		}
	}
	for _, bt := range block.BlockTypes {
		nested := attrs[bt.TypeName]
		p := path.WithAttributeName(bt.TypeName)
		if bt.Nesting == tfprotov5.SchemaNestedBlockNestingModeSingle {
			readOnly(bt.Block, nested, p, diags)
			continue
		}
		var elems []tftypes.Value
		if nested.IsNull() || !nested.IsKnown() || nested.As(&elems) != nil {
			continue
		}
		for i, e := range elems {
			ep := p.WithElementKeyInt(i)
			if bt.Nesting == tfprotov5.SchemaNestedBlockNestingModeSet {
				ep = p.WithElementKeyValue(e)
			}
			readOnly(bt.Block, e, ep, diags)
		}
	}
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	schema, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown resource type %s", req.TypeName)
	}
	value, err := req.RawState.Unmarshal(schema.ValueType())
	if err != nil {
		return nil, err
	}
	state, err := tfprotov5.NewDynamicValue(schema.ValueType(), value)
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &state}, err
}

func (s *server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange plans a create as the real provider's would look before AWS answers: what the
// configuration sets, and unknown for every computed attribute it leaves unset (ids, ARNs, defaults the API
// chooses). An update keeps the proposed state, which already carries the prior computed values.
func (s *server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	schema, ok := s.schemas.resources[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown resource type %s", req.TypeName)
	}
	typ := schema.ValueType()
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	if proposed.IsNull() || !prior.IsNull() {
		return &tfprotov5.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
	}
	planned, err := unknownComputed(schema.Block, proposed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", req.TypeName, err)
	}
	state, err := tfprotov5.NewDynamicValue(typ, planned)
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &state}, err
}

// unknownComputed replaces every null computed attribute of a block's value, nested blocks included, with
// an unknown value of its type.
func unknownComputed(block *tfprotov5.SchemaBlock, v tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return v, err
	}
	for _, a := range block.Attributes {
		if a.Computed && attrs[a.Name].IsNull() {
			attrs[a.Name] = tftypes.NewValue(a.Type, tftypes.UnknownValue)
		}
	}
	for _, bt := range block.BlockTypes {
		nested := attrs[bt.TypeName]
		if nested.IsNull() || !nested.IsKnown() {
			continue
		}
		if bt.Nesting == tfprotov5.SchemaNestedBlockNestingModeSingle {
			planned, err := unknownComputed(bt.Block, nested)
			if err != nil {
				return v, err
			}
			attrs[bt.TypeName] = planned
			continue
		}
		var elems []tftypes.Value
		if err := nested.As(&elems); err != nil {
			return v, err
		}
		for i, e := range elems {
			planned, err := unknownComputed(bt.Block, e)
			if err != nil {
				return v, err
			}
			elems[i] = planned
		}
		attrs[bt.TypeName] = tftypes.NewValue(nested.Type(), elems)
	}
	return tftypes.NewValue(v.Type(), attrs), nil
}

func (s *server) ApplyResourceChange(context.Context, *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiag("Apply is not supported", offlineDetail)}, nil
}

func (s *server) ImportResourceState(context.Context, *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errorDiag("Import is not supported", offlineDetail)}, nil
}

func (s *server) MoveResourceState(context.Context, *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: errorDiag("Moving state is not supported", offlineDetail)}, nil
}

func (s *server) UpgradeResourceIdentity(context.Context, *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: errorDiag("Resource identity is not supported", offlineDetail)}, nil
}

func (s *server) GenerateResourceConfig(context.Context, *tfprotov5.GenerateResourceConfigRequest) (*tfprotov5.GenerateResourceConfigResponse, error) {
	return &tfprotov5.GenerateResourceConfigResponse{Diagnostics: errorDiag("Generating configuration is not supported", offlineDetail)}, nil
}

// ReadDataSource answers the data sources a plan reads with offline values (see dataSources.go); any other
// data source gets its configuration back with its computed attributes null, which OpenTofu accepts as known.
func (s *server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	schema, ok := s.schemas.dataSources[req.TypeName]
	if !ok {
		return nil, fmt.Errorf("unknown data source %s", req.TypeName)
	}
	typ := schema.ValueType()
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return nil, err
	}
	set, err := readDataSource(req.TypeName, s.region, attrs)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiag("Invalid "+req.TypeName, err.Error())}, nil
	}
	for name, value := range set {
		if attrs[name].IsNull() {
			attrs[name] = tftypes.NewValue(tftypes.String, value)
		}
	}
	state, err := tfprotov5.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	return &tfprotov5.ReadDataSourceResponse{State: &state}, err
}

func (s *server) CallFunction(context.Context, *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "provider functions are not served offline"}}, nil
}

func (s *server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (s *server) ValidateEphemeralResourceConfig(context.Context, *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{}, nil
}

func (s *server) OpenEphemeralResource(context.Context, *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: errorDiag("Ephemeral resources are not supported", offlineDetail)}, nil
}

func (s *server) RenewEphemeralResource(context.Context, *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{}, nil
}

func (s *server) CloseEphemeralResource(context.Context, *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{}, nil
}
