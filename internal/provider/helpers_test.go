package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/jsondoc"
	"github.com/crescendo-ai/terraform-provider-crescendo/internal/mockapi"
)

// checkRemoteBody checks that the mock stores a document at p whose members, apart
// from the server's stamps, mean the same as want.
func checkRemoteBody(srv *mockapi.Server, p mockapi.DocPath, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		raw, ok := srv.Document(p)
		if !ok {
			return fmt.Errorf("no document stored at %s", p)
		}
		object, err := jsondoc.ParseObject(raw)
		if err != nil {
			return fmt.Errorf("stored document at %s is not an object: %v", p, err)
		}
		for _, member := range []string{memberUpdated, memberUpdatedBy} {
			if !object.Has(member) {
				return fmt.Errorf("stored document at %s has no %q stamp: %s", p, member, raw)
			}
		}
		got := object.Without(memberUpdated, memberUpdatedBy).Canonical()
		equal, err := jsondoc.Equal(got, []byte(want))
		if err != nil {
			return err
		}
		if !equal {
			return fmt.Errorf("stored document at %s is %s; want %s", p, got, want)
		}
		return nil
	}
}

// checkNoRemoteDocument checks that nothing is stored at p.
func checkNoRemoteDocument(srv *mockapi.Server, p mockapi.DocPath) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if raw, ok := srv.Document(p); ok {
			return fmt.Errorf("document stored at %s: %s", p, raw)
		}
		return nil
	}
}

// checkStateOmits checks that no attribute of any resource in state contains secret.
func checkStateOmits(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, module := range s.Modules {
			for address, rs := range module.Resources {
				for name, value := range rs.Primary.Attributes {
					if strings.Contains(value, secret) {
						return fmt.Errorf("state attribute %s.%s contains the API key", address, name)
					}
				}
			}
		}
		return nil
	}
}

// expectMessage matches text in Terraform's output even where Terraform wrapped it
// across lines: each space in text matches any run of white space.
func expectMessage(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, word := range words {
		words[i] = regexp.QuoteMeta(word)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}
