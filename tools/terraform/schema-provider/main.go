// Command terraform-provider-aws is Shardline's offline stand-in for the AWS provider: the provider's schema,
// rebuilt from its published bindings, served over the plugin protocol so that OpenTofu runs real `validate`
// and `plan` without credentials or a registry. It never calls AWS and refuses to apply.
package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

func main() {
	s, err := loadSchemas(schemaJSON)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := tf5server.Serve("registry.terraform.io/hashicorp/aws", func() tfprotov5.ProviderServer {
		return &server{schemas: s}
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
