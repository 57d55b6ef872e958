package pipeline

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/transforms"
)

// BenchmarkCrossRowRules: the cross-row rules of 200,000 records of the peers' job (unique
// userObjectIds, no parent, not distinct), as runstore's index applies them (Add, Resolve).
func BenchmarkCrossRowRules(b *testing.B) {
	const n = 200_000
	entries := make([]evaluate.Entry, n)
	for i := range entries {
		uoid := "SO-" + strconv.Itoa(100000+i/8) + "/" + strconv.Itoa(i%8+1)
		entries[i] = evaluate.Entry{Record: transforms.Record{UserObjectID: uoid, Entity: "line", Kind: "onkey", EntityType: "OrderLine", GroupOrder: 2},
			Body:   []byte(fmt.Sprintf(`{"entityType":"OrderLine","action":"Merge","userObjectId":%q,"id":{"converter":"ReferenceLookup","type":"Code","code":%q},"groupOrder":2,"properties":{"order_no":"SO-%06d","quantity":%d,"unit_price":12.5,"notes":"as agreed"}}`, uoid, uoid, i/8, i%40)),
			Status: record.Valid, Source: "lines", Origin: readers.Origin{File: "lines.csv", Line: i + 2}}
	}
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			start := time.Now()
			ix := runstore.NewIndex(runstore.Options{})
			for _, e := range entries {
				if _, _, err := ix.Add(runstore.Item{UserObjectID: e.Record.UserObjectID, Entity: e.Record.Entity, Kind: e.Record.Kind,
					EntityType: e.Record.EntityType, GroupOrder: e.Record.GroupOrder, Status: e.Status, Body: e.Body,
					Source: e.Source, Origin: e.Origin.String(), OriginLine: e.Origin.Line}); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := runstore.Resolve(ix, func(int64) (runstore.Detail, error) { return runstore.Detail{}, nil }); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/n, "ns/record")
			ix.Close()
		}
	})
}
