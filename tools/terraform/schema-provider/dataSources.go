package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The account a plan runs as: AWS's documented example account id, which no real account has.
const offlineAccountID = "123456789012"

// readDataSource gives the computed string attributes of the data sources Shardline's plans read, from their
// configuration alone, as the real provider would return them for an account and region.
func readDataSource(typeName, region string, attrs map[string]tftypes.Value) (map[string]string, error) {
	switch typeName {
	case "aws_caller_identity":
		return map[string]string{
			"id":         offlineAccountID,
			"account_id": offlineAccountID,
			"arn":        "arn:aws:iam::" + offlineAccountID + ":user/offline-plan",
			"user_id":    "AIDAOFFLINEPLAN",
		}, nil
	case "aws_region":
		if r := stringAttr(attrs["region"]); r != "" {
			region = r
		} else if r := stringAttr(attrs["name"]); r != "" {
			region = r
		}
		return map[string]string{
			"id": region, "region": region, "name": region, "description": region,
			"endpoint": "ec2." + region + "." + dnsSuffix(region),
		}, nil
	case "aws_partition":
		p := partition(region)
		return map[string]string{
			"id": p, "partition": p, "dns_suffix": dnsSuffix(region),
			"reverse_dns_prefix": reverseDNS(dnsSuffix(region)),
		}, nil
	case "aws_iam_policy_document":
		doc, err := policyDocument(attrs)
		if err != nil {
			return nil, err
		}
		pretty, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return nil, err
		}
		minified, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(minified)
		return map[string]string{
			"id":   strconv.FormatUint(uint64(sum[0])<<24|uint64(sum[1])<<16|uint64(sum[2])<<8|uint64(sum[3]), 10),
			"json": string(pretty), "minified_json": string(minified),
		}, nil
	}
	return map[string]string{}, nil
}

func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func dnsSuffix(region string) string {
	if partition(region) == "aws-cn" {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

func reverseDNS(suffix string) string {
	parts := strings.Split(suffix, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

func stringAttr(v tftypes.Value) string {
	var s string
	if v.IsNull() || !v.IsKnown() || v.As(&s) != nil {
		return ""
	}
	return s
}

func stringsAttr(v tftypes.Value) []string {
	var elems []tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&elems) != nil {
		return nil
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		out = append(out, stringAttr(e))
	}
	return out
}

func objectsAttr(v tftypes.Value) ([]map[string]tftypes.Value, error) {
	var elems []tftypes.Value
	if v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	if err := v.As(&elems); err != nil {
		return nil, err
	}
	out := make([]map[string]tftypes.Value, 0, len(elems))
	for _, e := range elems {
		var m map[string]tftypes.Value
		if err := e.As(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// oneOrMany renders a set as IAM does: one value as a string, more as a sorted list.
func oneOrMany(values []string) any {
	if len(values) == 0 {
		return nil
	}
	if len(values) == 1 {
		return values[0]
	}
	sorted := append([]string(nil), values...)
	sort.Strings(sorted)
	return sorted
}

type policyStatement struct {
	Sid          string                    `json:"Sid,omitempty"`
	Effect       string                    `json:"Effect"`
	Action       any                       `json:"Action,omitempty"`
	NotAction    any                       `json:"NotAction,omitempty"`
	Resource     any                       `json:"Resource,omitempty"`
	NotResource  any                       `json:"NotResource,omitempty"`
	Principal    any                       `json:"Principal,omitempty"`
	NotPrincipal any                       `json:"NotPrincipal,omitempty"`
	Condition    map[string]map[string]any `json:"Condition,omitempty"`
}

type policy struct {
	Version   string            `json:"Version"`
	ID        string            `json:"Id,omitempty"`
	Statement []json.RawMessage `json:"Statement"`
}

func principals(blocks []map[string]tftypes.Value) any {
	if len(blocks) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, b := range blocks {
		kind, ids := stringAttr(b["type"]), stringsAttr(b["identifiers"])
		if kind == "*" && len(ids) == 1 && ids[0] == "*" {
			return "*"
		}
		out[kind] = oneOrMany(ids)
	}
	return out
}

// policyDocument renders aws_iam_policy_document's statements the way the provider does (source documents
// first, then the statements, then override documents replacing statements with the same Sid). Values are
// rendered, not judged: IAM's own grammar (actions that exist, condition operators) is not checked.
func policyDocument(attrs map[string]tftypes.Value) (*policy, error) {
	doc := &policy{Version: "2012-10-17", ID: stringAttr(attrs["policy_id"])}
	if v := stringAttr(attrs["version"]); v != "" {
		doc.Version = v
	}
	bySid := map[string]int{}
	add := func(sid string, raw json.RawMessage, override bool) {
		if i, ok := bySid[sid]; ok && sid != "" && override {
			doc.Statement[i] = raw
			return
		}
		if sid != "" {
			bySid[sid] = len(doc.Statement)
		}
		doc.Statement = append(doc.Statement, raw)
	}
	merge := func(documents []string, override bool) error {
		for _, text := range documents {
			var other struct {
				Statement []json.RawMessage `json:"Statement"`
			}
			if err := json.Unmarshal([]byte(text), &other); err != nil {
				return fmt.Errorf("a source or override policy document is not JSON: %w", err)
			}
			for _, raw := range other.Statement {
				var head struct{ Sid string }
				_ = json.Unmarshal(raw, &head)
				add(head.Sid, raw, override)
			}
		}
		return nil
	}
	if err := merge(stringsAttr(attrs["source_policy_documents"]), false); err != nil {
		return nil, err
	}
	statements, err := objectsAttr(attrs["statement"])
	if err != nil {
		return nil, err
	}
	own := map[string]bool{}
	for _, st := range statements {
		out := policyStatement{
			Sid: stringAttr(st["sid"]), Effect: stringAttr(st["effect"]),
			Action: oneOrMany(stringsAttr(st["actions"])), NotAction: oneOrMany(stringsAttr(st["not_actions"])),
			Resource: oneOrMany(stringsAttr(st["resources"])), NotResource: oneOrMany(stringsAttr(st["not_resources"])),
		}
		if out.Effect == "" {
			out.Effect = "Allow"
		}
		if out.Effect != "Allow" && out.Effect != "Deny" {
			return nil, fmt.Errorf("statement %q: effect must be Allow or Deny, not %q", out.Sid, out.Effect)
		}
		p, err := objectsAttr(st["principals"])
		if err != nil {
			return nil, err
		}
		out.Principal = principals(p)
		np, err := objectsAttr(st["not_principals"])
		if err != nil {
			return nil, err
		}
		out.NotPrincipal = principals(np)
		conditions, err := objectsAttr(st["condition"])
		if err != nil {
			return nil, err
		}
		for _, c := range conditions {
			if out.Condition == nil {
				out.Condition = map[string]map[string]any{}
			}
			test := stringAttr(c["test"])
			if out.Condition[test] == nil {
				out.Condition[test] = map[string]any{}
			}
			out.Condition[test][stringAttr(c["variable"])] = oneOrMany(stringsAttr(c["values"]))
		}
		if out.Sid != "" && own[out.Sid] {
			return nil, fmt.Errorf("duplicate statement sid %q", out.Sid)
		}
		own[out.Sid] = true
		raw, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		add(out.Sid, raw, true)
	}
	if err := merge(stringsAttr(attrs["override_policy_documents"]), true); err != nil {
		return nil, err
	}
	return doc, nil
}
