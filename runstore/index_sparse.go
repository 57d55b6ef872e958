package runstore

import "sort"

// sparse holds a value for some records, appended in the order of the records: a sorted pair of
// slices, far smaller than a map for the many records of a distinct or referable entity.
type sparse[T any] struct {
	idx  []uint32
	vals []T
}

// add sets record i's value; i is above every record added before.
func (s *sparse[T]) add(i uint32, v T) {
	s.idx = append(s.idx, i)
	s.vals = append(s.vals, v)
}

// get returns record i's value, if it has one.
func (s *sparse[T]) get(i uint32) (T, bool) {
	k := sort.Search(len(s.idx), func(k int) bool { return s.idx[k] >= i })
	if k < len(s.idx) && s.idx[k] == i {
		return s.vals[k], true
	}
	var zero T
	return zero, false
}

// bodyHash returns the hash of distinct record i's body.
func (ix *Index) bodyHash(i uint32) uint64 {
	h, _ := ix.bodies.get(i)
	return h
}
