package main

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// schema.json is written by extractSchema.ts from the published provider bindings when the binary is built
// (see install-schema-provider.sh); it is not committed.
//
//go:embed schema.json
var schemaJSON []byte

type jsonAttribute struct {
	Type     json.RawMessage `json:"type"`
	Required bool            `json:"required"`
	Optional bool            `json:"optional"`
	Computed bool            `json:"computed"`
}

type jsonBlockType struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

type jsonBlock struct {
	Attributes map[string]jsonAttribute `json:"attributes"`
	BlockTypes map[string]jsonBlockType `json:"block_types"`
}

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonProviderSchemas struct {
	ProviderSchemas map[string]struct {
		Provider          jsonSchema            `json:"provider"`
		ResourceSchemas   map[string]jsonSchema `json:"resource_schemas"`
		DataSourceSchemas map[string]jsonSchema `json:"data_source_schemas"`
	} `json:"provider_schemas"`
}

// schemas is the provider's whole schema in protocol form.
type schemas struct {
	provider    *tfprotov5.Schema
	resources   map[string]*tfprotov5.Schema
	dataSources map[string]*tfprotov5.Schema
}

func loadSchemas(raw []byte) (*schemas, error) {
	var doc jsonProviderSchemas
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("schema.json: %w", err)
	}
	if len(doc.ProviderSchemas) != 1 {
		return nil, fmt.Errorf("schema.json: want one provider, found %d", len(doc.ProviderSchemas))
	}
	out := &schemas{resources: map[string]*tfprotov5.Schema{}, dataSources: map[string]*tfprotov5.Schema{}}
	for _, p := range doc.ProviderSchemas {
		var err error
		if out.provider, err = convertSchema("provider", p.Provider); err != nil {
			return nil, err
		}
		for name, s := range p.ResourceSchemas {
			if out.resources[name], err = convertSchema(name, s); err != nil {
				return nil, err
			}
		}
		for name, s := range p.DataSourceSchemas {
			if out.dataSources[name], err = convertSchema(name, s); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func convertSchema(where string, s jsonSchema) (*tfprotov5.Schema, error) {
	block, err := convertBlock(where, s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov5.Schema{Version: s.Version, Block: block}, nil
}

func convertBlock(where string, b jsonBlock) (*tfprotov5.SchemaBlock, error) {
	out := &tfprotov5.SchemaBlock{}
	// Sorted names keep the schema, and so every plan, deterministic.
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", where, name, err)
		}
		out.Attributes = append(out.Attributes, &tfprotov5.SchemaAttribute{
			Name: name, Type: t, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
		})
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[name]
		nested, err := convertBlock(where+"."+name, bt.Block)
		if err != nil {
			return nil, err
		}
		var mode tfprotov5.SchemaNestedBlockNestingMode
		switch bt.NestingMode {
		case "single":
			mode = tfprotov5.SchemaNestedBlockNestingModeSingle
		case "list":
			mode = tfprotov5.SchemaNestedBlockNestingModeList
		case "set":
			mode = tfprotov5.SchemaNestedBlockNestingModeSet
		default:
			return nil, fmt.Errorf("%s.%s: nesting mode %q", where, name, bt.NestingMode)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov5.SchemaNestedBlock{
			TypeName: name, Block: nested, Nesting: mode, MinItems: bt.MinItems, MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

// ctyType reads a type in cty's JSON form ("string", ["list", T], ["object", {...}]).
func ctyType(raw json.RawMessage) (tftypes.Type, error) {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
		return nil, fmt.Errorf("unknown type %q", name)
	}
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return nil, fmt.Errorf("bad type %s", raw)
	}
	if err := json.Unmarshal(pair[0], &name); err != nil {
		return nil, fmt.Errorf("bad type %s", raw)
	}
	if name == "object" {
		var attrs map[string]json.RawMessage
		if err := json.Unmarshal(pair[1], &attrs); err != nil {
			return nil, fmt.Errorf("bad object type %s", raw)
		}
		types := map[string]tftypes.Type{}
		for k, v := range attrs {
			t, err := ctyType(v)
			if err != nil {
				return nil, err
			}
			types[k] = t
		}
		return tftypes.Object{AttributeTypes: types}, nil
	}
	elem, err := ctyType(pair[1])
	if err != nil {
		return nil, err
	}
	switch name {
	case "list":
		return tftypes.List{ElementType: elem}, nil
	case "set":
		return tftypes.Set{ElementType: elem}, nil
	case "map":
		return tftypes.Map{ElementType: elem}, nil
	}
	return nil, fmt.Errorf("unknown collection %q", name)
}
