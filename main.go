package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/crescendo-ai/terraform-provider-crescendo/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=1.2.3".
var version = "dev"

// stopProfiling writes the profiles that a build with the benchprofile tag records; in
// other builds it does nothing.
var stopProfiling = func() {}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider in debug mode, for debuggers such as delve")
	flag.Parse()
	if !debug {
		silenceDiscardedLogs()
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/crescendo-ai/crescendo",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	stopProfiling()
	if err != nil {
		log.Fatal(err)
	}
}

// loggerLevelEnv lists the environment variables that set the logger levels in
// terraform-plugin-go v0.31 and terraform-plugin-framework v1.19. They cover the SDK,
// its protocol and framework subsystems, and the provider's own tflog logger, which is
// named after the provider type in the registry address.
var loggerLevelEnv = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_CRESCENDO"}

// silenceDiscardedLogs turns the provider's loggers off when Terraform would discard
// their output. Terraform 1.11 reads a provider's log from its stderr and drops it
// unless TF_LOG or TF_LOG_PROVIDER is set. A logger without a level logs at TRACE, so
// every request was encoded as JSON and parsed by Terraform for nothing, which was
// close to half of the provider's CPU time in a refresh (see BENCHMARKS.md). A level
// set explicitly in the environment is kept.
func silenceDiscardedLogs() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range loggerLevelEnv {
		if _, set := os.LookupEnv(name); !set {
			os.Setenv(name, "off")
		}
	}
}
