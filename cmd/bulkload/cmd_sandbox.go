package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"slices"

	"github.com/bulkload/bulkload/sandbox"
)

// defaultSandboxAddr is where `bulkload sandbox` listens unless told otherwise: the address the
// samples' specs default to.
const defaultSandboxAddr = "127.0.0.1:8680"

func sandboxCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	listen := fs.String("listen", defaultSandboxAddr, "loopback address to listen on (port 0 picks a free one)")
	config := fs.String("config", "", "sandbox config (YAML over the defaults: data model, tokens, faults); see sandbox/README.md")
	printConfig := fs.Bool("print-config", false, "print the config (the defaults, or --config's over them) as YAML to edit and pass back with --config, and exit")
	return func(ctx context.Context, args []string, io streams) int {
		if len(args) != 0 {
			fs.Usage()
			return exitUsage
		}
		cfg, err := sandboxConfig(*config)
		if err != nil {
			fmt.Fprintf(io.err, "bulkload sandbox: %v\n", err)
			return exitUsage
		}
		if *printConfig {
			if err := cfg.WriteYAML(io.out); err != nil {
				fmt.Fprintf(io.err, "bulkload sandbox: %v\n", err)
				return exitAborted
			}
			return exitOK
		}
		s, err := sandbox.Start(cfg, *listen)
		if err != nil {
			fmt.Fprintf(io.err, "bulkload sandbox: %v\n", err)
			return exitUsage
		}
		defer s.Close()
		fmt.Fprintf(io.out, "sandbox: On Key at %s/api/tenants/%s/%s (inspect: %s/_sandbox/records, %s/_sandbox/requests)\n",
			s.URL(), cfg.Tenant, cfg.Connection, s.URL(), s.URL())
		if len(cfg.Tokens) > 0 {
			fmt.Fprintf(io.out, "to send a job to it:\n  export ONKEY_URL=%s ONKEY_TENANT=%s ONKEY_CONNECTION=%s ONKEY_TOKEN=%s\n",
				s.URL(), cfg.Tenant, cfg.Connection, cfg.Tokens[0])
		}
		if users := slices.Sorted(maps.Keys(cfg.OnixWork.Users)); len(users) > 0 {
			fmt.Fprintf(io.out, "sandbox: Onix Work at %s/v1/ (user %s; token endpoint %s/v1/Account/token)\n", s.URL(), users[0], s.URL())
			fmt.Fprintf(io.out, "  export ONIX_URL=%s ONIX_USERNAME=%s ONIX_PASSWORD=%s\n", s.URL(), users[0], cfg.OnixWork.Users[users[0]])
		}
		fmt.Fprintf(io.out, "Ctrl-C stops it.\n")
		<-ctx.Done()
		return exitOK
	}
}

// sandboxConfig is the config at path, or the defaults when path is empty.
func sandboxConfig(path string) (*sandbox.Config, error) {
	if path == "" {
		return sandbox.DefaultConfig(), nil
	}
	return sandbox.LoadConfig(path)
}
