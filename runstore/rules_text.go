package runstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// childCount is how many child records of one entity have one status.
type childCount struct {
	entity, status string
	n              int
}

// childlessWhy says why a parent is not sent: "all 3 of its order lines are invalid", or with
// several entities or statuses "none of its 5 child records can be sent: 3 order lines are
// invalid, 2 order notes are skipped".
func childlessWhy(counts []childCount) string {
	const hint = " (send_without_children: true on its entity sends it anyway)"
	total := 0
	for _, c := range counts {
		total += c.n
	}
	if len(counts) == 1 {
		c := counts[0]
		if c.n == 1 {
			return fmt.Sprintf("its only %s is %s%s", childNoun(c.entity, 1), c.status, hint)
		}
		return fmt.Sprintf("all %d of its %s are %s%s", c.n, childNoun(c.entity, c.n), c.status, hint)
	}
	var parts []string
	for _, c := range counts {
		verb := "are"
		if c.n == 1 {
			verb = "is"
		}
		parts = append(parts, fmt.Sprintf("%d %s %s %s", c.n, childNoun(c.entity, c.n), verb, c.status))
	}
	slices.Sort(parts)
	return fmt.Sprintf("none of its %d child records can be sent: %s%s", total, strings.Join(parts, ", "), hint)
}

// childNoun names n records of entity in words: order_line -> "order lines".
func childNoun(entity string, n int) string {
	w := strings.ReplaceAll(entity, "_", " ")
	if n != 1 && !strings.HasSuffix(w, "s") {
		w += "s"
	}
	return w
}

// plural is one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// depWhy says why a record cannot go for the sake of its dependency: the lookup (ref), and the
// record that produces it: userObjectId, row and status.
func depWhy(ref, uoid, origin string, status record.Status) string {
	where := origin
	if uoid != "" {
		where = fmt.Sprintf("userObjectId %q, %s", uoid, strings.TrimSpace(origin))
	}
	text := string(status)
	switch status {
	case record.Unknown:
		text = "unknown: it may or may not have been applied"
	case record.Pending:
		text = "not sent yet"
	}
	return fmt.Sprintf("refers to %s (%s), which is %s", ref, where, text)
}

func compareStrings(a, b string) int { return strings.Compare(a, b) }
