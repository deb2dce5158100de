package simulate

// What the check looks at: every process the plugin starts is in its Job
// Object, which allows no breakaway, so the job's emptiness is the whole
// answer.
const (
	groupWord = "job object"
	unseen    = "every process it starts is in that job"
)

// killMarked has nothing to find: the job holds every process.
func killMarked(_, _ string, _ func(), _ bool) []int { return nil }
