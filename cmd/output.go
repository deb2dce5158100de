package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
)

// A command's output is part of its result: a script that reads `register
// --json` or `tasks` and gets nothing must not be told all went well, and must
// learn whether the change it asked for was made all the same. So every
// write to stdout and stderr goes through a watchedWriter, and a failed one
// turns the exit code into ExitOperational (exit.go), whatever the command
// returned and whether or not it checked the error itself (cobra's help does
// not).

// watchedWriter passes writes through and remembers the first that failed.
// Plugin logs and progress are written from other goroutines, hence the lock.
type watchedWriter struct {
	name string // "standard output"
	w    io.Writer

	mu  sync.Mutex
	err error
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if err != nil {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
	return n, err
}

func (w *watchedWriter) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// outputWatch watches one run's stdout and stderr.
type outputWatch struct{ out, errOut *watchedWriter }

// watchOutput returns a copy of s whose Out and ErrOut are watched.
func watchOutput(s *IOStreams) (*IOStreams, *outputWatch) {
	w := &outputWatch{
		out:    &watchedWriter{name: "standard output", w: s.Out},
		errOut: &watchedWriter{name: "standard error", w: s.ErrOut},
	}
	watched := *s
	watched.Out, watched.ErrOut = w.out, w.errOut
	return &watched, w
}

// verdict is err (what the command returned) corrected for its output: when
// a write failed, an ExitOperational error that says which stream failed and
// whether the command's change was made (g.noteChange).
func (w *outputWatch) verdict(g *Globals, err error) error {
	var failed *watchedWriter
	for _, s := range []*watchedWriter{w.out, w.errOut} {
		if s.failure() != nil {
			failed = s
			break
		}
	}
	if failed == nil {
		return err
	}
	werr := failed.failure()
	if isBrokenPipe(werr) && len(g.changes) == 0 {
		// The reader went away (`bgtask lint | head -1`): it wanted no more,
		// and nothing was changed, so there is nothing to tell. The exit code
		// still says the output was not all delivered (set -o pipefail).
		return silentExit(ExitOperational)
	}
	msg := fmt.Sprintf("writing to %s failed (%v); %s", failed.name, werr, g.changeNote())
	var ee *ExitError
	if err != nil && !sameWriteFailure(err, werr) && (!errors.As(err, &ee) || !ee.Silent) {
		// The command's own error still matters (it says what went wrong first).
		msg = err.Error() + "\n  " + msg
	}
	return operationalError(errors.New(msg))
}

// sameWriteFailure reports whether err is the failure the watch saw, or a
// later write's failure for the same reason: each failed write of an
// *os.File makes a new *fs.PathError, and saying it twice helps nobody.
func sameWriteFailure(err, werr error) bool {
	if errors.Is(err, werr) {
		return true
	}
	var pe *fs.PathError
	return errors.As(werr, &pe) && errors.Is(err, pe.Err)
}

// noteChange records a change the command has made for good (a file
// written), in words that complete "the change itself was made: ". A
// command calls it right after the change, before it reports it.
func (g *Globals) noteChange(format string, a ...any) {
	g.changes = append(g.changes, fmt.Sprintf(format, a...))
}

func (g *Globals) changeNote() string {
	if len(g.changes) == 0 {
		return "nothing was changed"
	}
	return "the change itself was made: " + strings.Join(g.changes, "; ")
}

// writeBuffered runs write, a listing or report written in many small
// pieces, on a buffer of w that it then flushes: text/tabwriter writes each
// cell and each run of padding on its own, and a line per finding is a
// line per write, so `manifest list` of 10,000 declarations made 80,261
// write system calls. w's errors (a closed pipe, a full disk) come back from
// the writes or the flush, as they did from the writes.
func writeBuffered(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}
