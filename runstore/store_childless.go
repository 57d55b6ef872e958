package runstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// SendWithoutChildren tells the store which entities of job keep sending a record whose child
// records are all invalid (send_without_children); ResolveParents skips such a record of any
// other Onix Work entity.
func (s *Store) SendWithoutChildren(job *spec.Job) {
	s.sendChildless = map[string]bool{}
	for _, e := range job.Entities {
		if e.SendWithoutChildren {
			s.sendChildless[e.Name] = true
		}
	}
}

// skipChildless skips the Onix Work records still to go (valid or pending) that rows name as
// parent but none of whose child records can be sent (all invalid, or skipped in turn): an order
// whose lines are all invalid would be created empty. A record no row names as parent is not
// touched, nor one of an entity with send_without_children. It returns how many it changed.
func (s *Store) skipChildless(ctx context.Context) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.seq, p.entity, p.messages, c.entity, c.status, COUNT(*)
		FROM records p JOIN records c ON c.parent = p.uoid
		WHERE p.kind = 'onixwork' AND p.uoid <> '' AND p.status IN ('valid', 'pending')
		AND NOT EXISTS (SELECT 1 FROM records o WHERE o.parent = p.uoid AND o.status NOT IN ('invalid', 'skipped'))
		GROUP BY p.seq, c.entity, c.status ORDER BY p.seq, c.entity, c.status`)
	if err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	type parent struct {
		seq      int64
		messages string
		counts   []childCount
	}
	var ps []*parent
	for rows.Next() {
		var seq int64
		var entity, messages string
		var cc childCount
		if err := rows.Scan(&seq, &entity, &messages, &cc.entity, &cc.status, &cc.n); err != nil {
			rows.Close()
			return 0, fmt.Errorf("run store: %w", err)
		}
		if s.sendChildless[entity] {
			continue
		}
		if len(ps) == 0 || ps[len(ps)-1].seq != seq {
			ps = append(ps, &parent{seq: seq, messages: messages})
		}
		ps[len(ps)-1].counts = append(ps[len(ps)-1].counts, cc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	for _, p := range ps {
		ms := append(decodeMessages(p.messages), record.Message{Code: "children", Text: childlessWhy(p.counts)})
		if _, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, record.Skipped, encodeMessages(ms), p.seq); err != nil {
			return 0, err
		}
	}
	return len(ps), s.Flush()
}

// childCount is how many child records of one entity have one status.
type childCount struct {
	entity string
	status record.Status
	n      int
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
