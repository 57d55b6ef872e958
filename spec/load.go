package spec

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Load reads the job spec at path and returns it checked, with defaults applied and paths
// resolved against the spec's folder. lookupEnv resolves ${VAR} references (nil means
// os.LookupEnv).
//
// Loading goes: parse the YAML keeping positions; expand ${VAR} and ${VAR:-default} in every
// string value; validate against the embedded job schema (schemas.JobSchema), which refuses
// unknown keys; decode into a Job; check what the schema cannot (names that clash or refer to
// nothing, keys the target kind needs, paths that leave the spec's folder or do not exist).
// Every problem found is returned at once as Errors, sorted by position, each naming path as
// given; on error the Job is nil. Load opens no data file; it only checks that they exist.
func Load(path string, lookupEnv func(string) (string, bool)) (*Job, error) {
	return load(path, lookupEnv, nil)
}

// load is Load with files replacing sources' files (LoadWithSourceFiles).
func load(path string, lookupEnv func(string) (string, bool), files []SourceFile) (*Job, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: "cannot read the spec: " + unwrapPathError(err).Error()}}
	}
	f, err := newFolder(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: "cannot find the spec's folder: " + err.Error()}}
	}
	return parse(path, data, f, lookupEnv, files)
}

// parse loads a spec from its bytes; file names it in errors and f is its folder.
// files replace sources' files before the checks (LoadWithSourceFiles).
func parse(file string, data []byte, f folder, lookupEnv func(string) (string, bool), files []SourceFile) (*Job, error) {
	p := &problems{file: file}
	doc := parseYAML(data, p)
	if doc == nil {
		return nil, p.sorted()
	}
	b := &builder{env: lookupEnv, probs: p, byPtr: map[string]*node{}, bad: map[string]bool{},
		reported: map[reportKey]bool{}, active: map[*yaml.Node]bool{}}
	root := b.buildOr(doc, "", "")
	checkSchema(root, b)
	j := decode(root)
	j.File, j.Dir = file, f.dir
	resolvePaths(j, root, f, p)
	if err := replaceSourceFiles(j, files, p); err != nil {
		return nil, err
	}
	finishDefaults(j)
	check(j, root, p)
	if errs := p.sorted(); errs != nil {
		return nil, errs
	}
	return j, nil
}

// yamlLine finds the line in a YAML error message: "yaml: line 3: could not find expected ':'".
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses the spec's one YAML document and returns its root, or nil after reporting
// why there is none.
func parseYAML(data []byte, p *problems) *yaml.Node {
	syntax := func(err error) {
		msg := err.Error()
		var pos Pos
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else if len(msg) > 6 && msg[:6] == "yaml: " {
			msg = msg[6:]
		}
		p.add(pos, "", "YAML syntax: %s", msg)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.add(Pos{Line: 1, Col: 1}, "", "the spec is empty")
		} else {
			syntax(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		p.add(Pos{Line: extra.Line, Col: extra.Column}, "", "a spec is one YAML document; this is a second one")
	case !errors.Is(err, io.EOF):
		syntax(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.add(Pos{Line: 1, Col: 1}, "", "the spec is empty")
		return nil
	}
	return doc.Content[0]
}
