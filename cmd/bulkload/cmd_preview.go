package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bulkload/bulkload/preview"
	"go.yaml.in/yaml/v3"
)

func previewCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	var o preview.Options
	fs.IntVar(&o.Limit, "limit", preview.DefaultLimit, "rows to show from each source")
	fs.StringVar(&o.Entity, "entity", "", "show only this entity's records (and its source's rows)")
	fs.StringVar(&o.Source, "source", "", "show only this source")
	jsonOut := fs.Bool("json", false, "print JSON instead of YAML")
	return func(ctx context.Context, args []string, io streams) int {
		if o.Limit <= 0 {
			return usageError(io, fmt.Sprintf("--limit must be at least 1, got %d", o.Limit))
		}
		job, ok := loadJob(args[0], io)
		if !ok {
			return exitUsage
		}
		pv, err := preview.Job(ctx, job, o)
		var unknown *preview.UnknownNameError
		var filters *preview.FilterError
		switch {
		case errors.As(err, &unknown):
			msg := unknown.Error()
			sugg := quoteAll(suggest(unknown.Name, unknown.Known))
			if len(sugg) > 0 {
				msg = fmt.Sprintf("no %s is named %q", unknown.What, unknown.Name)
			}
			return usageError(io, msg, sugg...)
		case errors.As(err, &filters):
			return usageError(io, err.Error())
		case err != nil:
			return runError(ctx, err, io)
		}
		if err := writePreview(io.out, pv, *jsonOut); err != nil {
			return runError(ctx, err, io)
		}
		return exitOK
	}
}

// writePreview prints pv as indented JSON, or as YAML with the same keys in the same order.
func writePreview(w io.Writer, pv *preview.Result, asJSON bool) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(pv); err != nil {
		return err
	}
	if asJSON {
		_, err := w.Write(b.Bytes())
		return err
	}
	// JSON is YAML: parsed as a node tree it keeps the key order; the styles of the JSON text
	// (flow collections, quoted strings) are dropped so that the encoder writes block YAML and
	// quotes only the strings that need it.
	var doc yaml.Node
	if err := yaml.Unmarshal(b.Bytes(), &doc); err != nil {
		return err
	}
	plain(&doc)
	ye := yaml.NewEncoder(w)
	ye.SetIndent(2)
	if err := ye.Encode(&doc); err != nil {
		return err
	}
	return ye.Close()
}

// plain clears the style of n and every node under it.
func plain(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		plain(c)
	}
}
