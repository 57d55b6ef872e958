package sandbox

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"
)

// WriteYAML writes c as a YAML file LoadConfig reads back into a Config that behaves as c: every
// key with its value (so that the data model, seeded records, credentials, company links and
// faults are all in the open), each section with a comment saying what it does and how it is
// read over the defaults. It is what `bulkload sandbox --print-config` prints.
func (c *Config) WriteYAML(w io.Writer) error {
	var root yaml.Node
	if err := root.Encode(c); err != nil {
		return fmt.Errorf("encoding the sandbox config: %w", err)
	}
	compact(&root, nil)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		if comment, ok := configComments[key.Value]; ok {
			key.HeadComment = comment
		}
		if key.Value == "entities" && value.Kind == yaml.MappingNode {
			nullRemoved(value, c.Entities)
		}
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: configHeader, Content: []*yaml.Node{&root}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing the sandbox config: %w", err)
	}
	return enc.Close()
}

const configHeader = `The sandbox's config, as ` + "`bulkload sandbox --print-config`" + ` prints it. Edit it and pass it back:
  bulkload sandbox --config sandbox.yaml
  bulkload run --sandbox --sandbox-config sandbox.yaml JOB.yaml
It is read over the defaults: a key left out keeps its default. Durations are written 1h0m0s,
250ms. sandbox/README.md describes every key.`

// configComments are the head comments of the top-level keys.
var configComments = map[string]string{
	"tenant":         "On Key: the {client} and {connection} segments of the API base /api/tenants/{client}/{connection}.",
	"tokens":         "On Key: the static bearer tokens accepted.",
	"oauth2":         "On Key: the client-credentials endpoint POST /oauth2/token. Clients (id: secret) given here are\nadded to the defaults; an empty secret disables one.",
	"max_body_bytes": "A longer request body is answered 413.",
	"log_requests":   "How many of the latest requests the request log (GET /_sandbox/requests) keeps.",
	"entities": "On Key's data model, by entity type: the batch endpoint /modules/{module}/{resource}, the\n" +
		"property the Code converter matches, the properties (type: string, integer, number, boolean\n" +
		"or date; required: a record needs a value; unique: no two records share one; reference: the\n" +
		"entity type whose record id it holds) and the records seeded at start, with literal ids.\n" +
		"An entry replaces the default of its name as a whole; `Name: null` removes a default type.",
	"faults": "Faults injected into On Key and Onix Work API calls. Rates are probabilities; the five\n" +
		"outcome rates (http500, http503, http429, reset, drop_response_after_apply) sum to at most 1.\n" +
		"max_rps: a token bucket of rate_burst calls (default max_rps) refilled at max_rps a second;\n" +
		"a call that finds it empty is answered 429 at once with a Retry-After; 0 is no limit.",
	"onixwork": "Onix Work (under /v1/): users (name: password) for POST /v1/Account/token and long-lived keys,\n" +
		"the customers' and suppliers' company and contact links, the order and order line workflows\n" +
		"(the first status is a new one's), languages, and the properties every order line has. Maps\n" +
		"given here are added to the defaults (an empty password disables a user); lists replace them.",
}

// nullRemoved lists, at the end of the entities mapping n, `Name: null` for each default entity
// type that entities lacks or holds as nil: without it, reading the file over the defaults would
// bring the type back. Other null entries, which remove nothing, are left out.
func nullRemoved(n *yaml.Node, entities map[string]*EntityType) {
	var kept []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i+1].Tag != "!!null" {
			kept = append(kept, n.Content[i], n.Content[i+1])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(defaultEntities())) {
		if entities[name] == nil {
			kept = append(kept,
				&yaml.Node{Kind: yaml.ScalarNode, Value: name, LineComment: "a default type this config removes"},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
		}
	}
	n.Content = kept
}

// compact writes the small leaves of the config on one line each: an entity type's
// properties, its seeded records, workflow statuses, lists of scalars and the maps of scalars
// inside a section (not the sections themselves). Within a
// property it leaves out false and empty values, which are what a key left out means there.
func compact(n *yaml.Node, path []string) {
	switch n.Kind {
	case yaml.MappingNode:
		if len(path) == 4 && path[0] == "entities" && path[2] == "properties" {
			n.Style = yaml.FlowStyle
			var kept []*yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && (v.Value == "false" || v.Value == "") {
					continue
				}
				kept = append(kept, n.Content[i], n.Content[i+1])
			}
			n.Content = kept
			return
		}
		if len(path) == 4 && path[0] == "entities" && path[2] == "records" || len(path) >= 2 && scalarsOnly(n) && len(n.Content) > 0 {
			n.Style = yaml.FlowStyle
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			compact(n.Content[i+1], append(path, n.Content[i].Value))
		}
	case yaml.SequenceNode:
		if scalarsOnly(n) && len(n.Content) > 0 {
			n.Style = yaml.FlowStyle
		}
		for i, c := range n.Content {
			compact(c, append(path, fmt.Sprint(i)))
		}
	}
}

// scalarsOnly tells whether n holds only scalars: a map's keys and values, a list's items.
func scalarsOnly(n *yaml.Node) bool {
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			return false
		}
	}
	return true
}
