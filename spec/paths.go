package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// folder is the spec's folder, against which the spec's relative paths are resolved.
type folder struct {
	dir  string // absolute
	real string // dir with symbolic links evaluated
}

// newFolder returns the folder of the spec at path.
func newFolder(path string) (folder, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return folder{}, err
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		real = dir
	}
	return folder{dir: dir, real: real}, nil
}

// resolve checks a path written in the spec and returns it made absolute. The path must be
// relative, must stay inside the folder (also once symbolic links are followed) and must exist;
// otherwise resolve returns the reason, for a person to read. info describes what the path names.
func (f folder) resolve(rel string) (abs string, info fs.FileInfo, problem string) {
	if filepath.IsAbs(rel) || filepath.VolumeName(rel) != "" || strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`) {
		return "", nil, "must be a path relative to the spec's folder, not an absolute path"
	}
	abs = filepath.Join(f.dir, rel)
	if !inside(f.dir, abs) {
		return "", nil, fmt.Sprintf("%q leaves the spec's folder; keep the job's files inside %s", rel, f.dir)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil, "file not found: " + abs
		}
		return "", nil, fmt.Sprintf("cannot open %s: %v", abs, unwrapPathError(err))
	}
	if !inside(f.real, real) {
		return "", nil, fmt.Sprintf("%q leads outside the spec's folder through a symbolic link (to %s)", rel, real)
	}
	info, err = os.Stat(real)
	if err != nil {
		return "", nil, fmt.Sprintf("cannot open %s: %v", abs, unwrapPathError(err))
	}
	return abs, info, ""
}

// resolvePaths makes the job's paths absolute, reporting each one that is absolute, leaves the
// spec's folder or does not exist: source files (a folder for a JSON source), source schemas,
// lookup files. A token file is only made absolute: it may live anywhere.
func resolvePaths(j *Job, root *node, f folder, p *problems) {
	file := func(item *node, key, rel string, folderOK bool) string {
		v := item.get(key)
		if v == nil || rel == "" {
			return ""
		}
		abs, info, problem := f.resolve(rel)
		switch {
		case problem != "":
			p.add(v.pos, v.path, "%s", problem)
		case info.IsDir() && !folderOK:
			p.add(v.pos, v.path, "%s is a folder, not a file", abs)
		case !info.IsDir() && !info.Mode().IsRegular():
			p.add(v.pos, v.path, "%s is not a regular file", abs)
		}
		return abs
	}
	for i, n := range mappings(root.get("sources")) {
		s := &j.Sources[i]
		s.File = file(n, "file", s.Path, s.Format == "" || s.Format == "json")
		s.Schema = file(n, "schema", s.Schema, false)
	}
	for i, n := range mappings(root.get("lookups")) {
		j.Lookups[i].File = file(n, "file", j.Lookups[i].Path, false)
	}
	if tf := j.Target.Auth.TokenFile; tf != "" && !filepath.IsAbs(tf) {
		j.Target.Auth.TokenFile = filepath.Join(f.dir, tf)
	}
}

// inside reports whether path is dir or lies below it; both are absolute and clean.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// unwrapPathError drops the path an *fs.PathError repeats.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// formatOf returns the source format a file implies: json for a folder, else by extension
// (.csv .txt .tsv -> csv; .xlsx .xlsm -> xlsx; .json -> json; .jsonl .ndjson -> jsonl); "" when
// it cannot tell.
func formatOf(file string) string {
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return "json"
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv", ".txt", ".tsv":
		return "csv"
	case ".xlsx", ".xlsm":
		return "xlsx"
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}
