package wns

// ring keeps the last max values added, in O(1) per add. The history is
// fed one event per request: shifting a full slice of 1,000 events left
// for each one cost serve 15% of its CPU under load (BenchmarkServeProcess).
type ring[T any] struct {
	buf   []T
	start int // index of the oldest value once buf is full
	max   int
}

func newRing[T any](max int) ring[T] { return ring[T]{max: max} }

// add keeps v, forgetting the oldest value when max are kept.
func (r *ring[T]) add(v T) {
	if len(r.buf) < r.max {
		r.buf = append(r.buf, v)
		return
	}
	r.buf[r.start] = v
	r.start++
	if r.start == len(r.buf) {
		r.start = 0
	}
}

// len is how many values are kept.
func (r *ring[T]) len() int { return len(r.buf) }

// at is the i-th oldest value kept, from 0.
func (r *ring[T]) at(i int) T {
	i += r.start
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	return r.buf[i]
}
