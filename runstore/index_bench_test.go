package runstore

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
)

// BenchmarkIndexPeers adds 1,000,000 records of the peers' job (/work/shared/peers: one On Key
// entity, a unique userObjectId "SO-123456/12", no parent, not distinct) and resolves them:
// ns/record is the time of both (the wall clock: a loaded machine shows more), bytes/record
// what the index holds once every record is added.
func BenchmarkIndexPeers(b *testing.B) {
	const n = 1_000_000
	bodies := make([][]byte, 64) // the index reads a body, never keeps it
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf(`{"entityType":"OrderLine","action":"Merge","userObjectId":"SO-%06d/%d","id":{"converter":"ReferenceLookup","type":"Code","code":"SO-%06d/%d"},"groupOrder":2,"properties":{"order_no":"SO-%06d","customer_ext_id":"C-%05d","order_date":"2024-03-01","quantity":%d,"unit_price":12.5,"notes":"as agreed"}}`, i, i%9, i, i%9, i, i, i%40))
	}
	uoids, origins := make([]string, n), make([]string, n) // the rows' own, made before the clock starts
	for i := range n {
		uoids[i] = "SO-" + strconv.Itoa(100000+i/8) + "/" + strconv.Itoa(i%8+1)
		origins[i] = "lines.csv:" + strconv.Itoa(i+2)
	}
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ix := NewIndex(Options{})
		for i := range n {
			if _, _, err := ix.Add(Item{UserObjectID: uoids[i], Entity: "line", Kind: "onkey", EntityType: "OrderLine", GroupOrder: 2,
				Status: record.Valid, Body: bodies[i%len(bodies)], Source: "lines", Origin: origins[i], OriginLine: i + 2}); err != nil {
				b.Fatal(err)
			}
		}
		added := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		start = time.Now()
		am, err := Resolve(ix, func(seq int64) (Detail, error) { return Detail{}, fmt.Errorf("asked for %d", seq) })
		if err != nil {
			b.Fatal(err)
		}
		elapsed := added + time.Since(start)
		if len(am.Changes) != 0 {
			b.Fatalf("%d changes", len(am.Changes))
		}
		b.ReportMetric(float64(elapsed.Nanoseconds())/n, "ns/record")
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "bytes/record")
		runtime.KeepAlive(ix)
		ix.Close()
	}
}

// BenchmarkIndexOrders adds the records of 1,000,000 rows of the benchmark job's shape
// (internal/benchdata: five consecutive lines per order; each row makes its order, a distinct
// record the next four rows join, and a line whose parent is the order) and resolves them.
func BenchmarkIndexOrders(b *testing.B) {
	const rows = 1_000_000
	orders, lines, origins := make([]string, rows), make([]string, rows), make([]string, rows)
	for i := range rows {
		orders[i] = "ORD-" + strconv.Itoa(100000+i/5)
		lines[i] = orders[i] + "/" + strconv.Itoa(i%5+1)
		origins[i] = "ordrelinjer.csv:" + strconv.Itoa(i+2)
	}
	orderBody, lineBody := []byte(`{"orderImportId":"x","customerExternalId":"K-1001","languageCode":0}`), []byte(`{"quantity":1}`)
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		ix := NewIndex(Options{Referable: map[string]bool{"order": true}})
		for i := range rows {
			row := Item{Kind: "onixwork", Status: record.Valid, Source: "order_lines", Origin: origins[i], OriginLine: i + 2}
			o, l := row, row
			o.Entity, o.UserObjectID, o.Distinct, o.Body = "order", orders[i], true, orderBody
			l.Entity, l.UserObjectID, l.Parent, l.Body = "order_line", lines[i], orders[i], lineBody
			for _, it := range []Item{o, l} {
				if _, _, err := ix.Add(it); err != nil {
					b.Fatal(err)
				}
			}
		}
		added := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		start = time.Now()
		am, err := Resolve(ix, func(seq int64) (Detail, error) { return Detail{}, fmt.Errorf("asked for %d", seq) })
		if err != nil {
			b.Fatal(err)
		}
		elapsed := added + time.Since(start)
		if len(am.Changes) != 0 || ix.Len() != rows+rows/5 {
			b.Fatalf("%d changes, %d records", len(am.Changes), ix.Len())
		}
		b.ReportMetric(float64(elapsed.Nanoseconds())/rows, "ns/row")
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/rows, "bytes/row")
		runtime.KeepAlive(ix)
		ix.Close()
	}
}
