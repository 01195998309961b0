package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestUnknownComputedMarksUnsetComputedAttributesInNestedBlocks(t *testing.T) {
	// Prepare: a block with a computed id, a set argument and a list block holding a computed attribute.
	nested := &tfprotov5.SchemaBlock{Attributes: []*tfprotov5.SchemaAttribute{
		{Name: "name", Type: tftypes.String, Optional: true},
		{Name: "arn", Type: tftypes.String, Computed: true},
	}}
	block := &tfprotov5.SchemaBlock{
		Attributes: []*tfprotov5.SchemaAttribute{
			{Name: "id", Type: tftypes.String, Optional: true, Computed: true},
			{Name: "description", Type: tftypes.String, Optional: true},
		},
		BlockTypes: []*tfprotov5.SchemaNestedBlock{{TypeName: "item", Block: nested, Nesting: tfprotov5.SchemaNestedBlockNestingModeList}},
	}
	typ := block.ValueType()
	itemType := nested.ValueType()
	proposed := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, nil),
		"description": tftypes.NewValue(tftypes.String, nil),
		"item": tftypes.NewValue(tftypes.List{ElementType: itemType}, []tftypes.Value{
			tftypes.NewValue(itemType, map[string]tftypes.Value{
				"name": tftypes.NewValue(tftypes.String, "a"),
				"arn":  tftypes.NewValue(tftypes.String, nil),
			}),
		}),
	})

	// Act
	planned, err := unknownComputed(block, proposed)

	// Assess
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := planned.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if attrs["id"].IsKnown() {
		t.Error("id: want unknown")
	}
	if !attrs["description"].IsKnown() || !attrs["description"].IsNull() {
		t.Error("description: want known null, a non-computed argument keeps its configuration")
	}
	var items []tftypes.Value
	if err := attrs["item"].As(&items); err != nil {
		t.Fatal(err)
	}
	var item map[string]tftypes.Value
	if err := items[0].As(&item); err != nil {
		t.Fatal(err)
	}
	if item["arn"].IsKnown() || !item["name"].IsKnown() {
		t.Errorf("item: want arn unknown and name known, got %v", item)
	}
}

func policyConfig(t *testing.T, statements ...map[string]tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	s, err := loadSchemas(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	block := s.dataSources["aws_iam_policy_document"].Block
	attrs := map[string]tftypes.Value{}
	for _, a := range block.Attributes {
		attrs[a.Name] = tftypes.NewValue(a.Type, nil)
	}
	for _, bt := range block.BlockTypes {
		if bt.TypeName != "statement" {
			attrs[bt.TypeName] = tftypes.NewValue(bt.ValueType(), nil)
			continue
		}
		elemType := bt.Block.ValueType()
		var elems []tftypes.Value
		for _, st := range statements {
			full := map[string]tftypes.Value{}
			for _, a := range bt.Block.Attributes {
				full[a.Name] = tftypes.NewValue(a.Type, nil)
			}
			for _, nb := range bt.Block.BlockTypes {
				full[nb.TypeName] = tftypes.NewValue(nb.ValueType(), nil)
			}
			for k, v := range st {
				full[k] = v
			}
			elems = append(elems, tftypes.NewValue(elemType, full))
		}
		attrs["statement"] = tftypes.NewValue(bt.ValueType(), elems)
	}
	return attrs
}

func stringSet(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
}

func TestPolicyDocumentRendersStatementsAsIAMJSON(t *testing.T) {
	// Prepare
	attrs := policyConfig(t, map[string]tftypes.Value{
		"sid":       tftypes.NewValue(tftypes.String, "Read"),
		"actions":   stringSet("kinesis:GetRecords", "kinesis:DescribeStream"),
		"resources": stringSet("arn:aws:kinesis:eu-west-1:123456789012:stream/raw"),
	})

	// Act
	got, err := readDataSource("aws_iam_policy_document", "eu-west-1", attrs)

	// Assess
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(got["json"]), &doc); err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:GetRecords"],"Resource":"arn:aws:kinesis:eu-west-1:123456789012:stream/raw"}]}`
	if got["minified_json"] != want {
		t.Errorf("minified_json:\n got %s\nwant %s", got["minified_json"], want)
	}
}

func TestPolicyDocumentRefusesDuplicateSidsAndBadEffects(t *testing.T) {
	for name, statements := range map[string][]map[string]tftypes.Value{
		"duplicate sid": {
			{"sid": tftypes.NewValue(tftypes.String, "A"), "actions": stringSet("s3:GetObject")},
			{"sid": tftypes.NewValue(tftypes.String, "A"), "actions": stringSet("s3:PutObject")},
		},
		"bad effect": {{"effect": tftypes.NewValue(tftypes.String, "Permit"), "actions": stringSet("s3:GetObject")}},
	} {
		t.Run(name, func(t *testing.T) {
			// Prepare / Act
			_, err := readDataSource("aws_iam_policy_document", "eu-west-1", policyConfig(t, statements...))

			// Assess
			if err == nil || !strings.Contains(err.Error(), strings.Fields(name)[1]) {
				t.Errorf("want an error naming the %s, got %v", name, err)
			}
		})
	}
}
