package spec

import (
	"fmt"
	"strings"
)

// interpolate expands environment references in one string scalar of the spec:
//
//	${NAME}            the variable's value; an unset variable is an error
//	${NAME:-default}   the variable's value, or default when it is unset or empty
//	$${                a literal "${"
//
// NAME is an identifier ([A-Za-z_][A-Za-z0-9_]*); default runs to the first "}". A "$" not
// followed by "{" is kept as it is. It returns the expanded text, whether s held any reference or
// escape, and a message for every bad or unresolved reference.
func interpolate(s string, lookup func(string) (string, bool)) (out string, changed bool, msgs []string) {
	if !strings.Contains(s, "${") {
		return s, false, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		changed = true
		if i > 0 && s[i-1] == '$' { // "$${": an escaped, literal "${"
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			msgs = append(msgs, fmt.Sprintf("unclosed %q: write ${NAME} or ${NAME:-default}, or $${ for a literal ${", s[i:]))
			break
		}
		ref := s[i : i+end+1]
		body := ref[2 : len(ref)-1]
		s = s[i+end+1:]
		name, def, hasDef := strings.Cut(body, ":-")
		if !isIdentifier(name) {
			msgs = append(msgs, fmt.Sprintf("bad reference %q: write ${NAME} or ${NAME:-default}, or $${ for a literal ${", ref))
			continue
		}
		val, ok := lookup(name)
		switch {
		case hasDef && val == "":
			b.WriteString(def)
		case ok:
			b.WriteString(val)
		default:
			msgs = append(msgs, fmt.Sprintf("environment variable %s is not set (give a default with ${%s:-default})", name, name))
		}
	}
	return b.String(), changed, msgs
}

// isIdentifier reports whether s matches [A-Za-z_][A-Za-z0-9_]*.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
