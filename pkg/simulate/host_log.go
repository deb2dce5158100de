package simulate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/plugin"
)

// logReader turns a plugin's stderr into log lines: each cut to
// maxLogLineBytes, the first limit of them shown through out with the task's
// name in front, the last tail of them kept for the Result. Memory stays
// bounded whatever the plugin writes.
type logReader struct {
	mu     sync.Mutex // lines may be asked for while a stuck reader still runs
	prefix string
	emit   func(shown, raw string) // shows a line (escaped, prefixed) and passes it on as written; nil shows nothing
	limit  int
	tail   []string // ring buffer
	next   int
	full   bool
	shown  int
	// dropped counts lines not shown because of limit.
	dropped int

	// completedAt is set when the instance completed; lines read later than
	// lateLogTolerance after it are counted as late.
	completedAt time.Time
	lateLines   int
	firstLate   string
	// warnings are the lines the plugin flagged with WarningPrefix.
	warnings []string
}

// maxFlaggedWarnings bounds the warnings kept from one plugin's log.
const maxFlaggedWarnings = 10

// lateLogTolerance: stderr and stdout are separate pipes read by separate
// goroutines, so a line written just before the completion can be read
// just after it; only lines read later than this count as work after it.
const lateLogTolerance = 100 * time.Millisecond

func newLogReader(prefix string, emit func(shown, raw string), limit, tail int) *logReader {
	return &logReader{prefix: safetext.Escape(prefix), emit: emit, limit: limit, tail: make([]string, tail)}
}

// run reads r to its end.
func (l *logReader) run(r io.Reader) {
	br := bufio.NewReaderSize(r, maxLogLineBytes)
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case err == nil:
			l.line(strings.TrimRight(string(chunk), "\r\n"))
		case errors.Is(err, bufio.ErrBufferFull):
			l.line(string(trimPartialRune(chunk)) + " [line cut]")
			if skipLine(br) != nil {
				return
			}
		default:
			if len(chunk) > 0 {
				l.line(string(chunk))
			}
			return
		}
	}
}

// trimPartialRune drops the start of a UTF-8 sequence the cut split, so a
// cut line stays valid text (in the JSON report too).
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b // ASCII: nothing split
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// skipLine discards the rest of an over-long line.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

func (l *logReader) line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.completedAt.IsZero() && time.Since(l.completedAt) > lateLogTolerance {
		if l.lateLines == 0 {
			l.firstLate = s
		}
		l.lateLines++
	}
	if w, ok := strings.CutPrefix(s, plugin.WarningPrefix); ok && len(l.warnings) < maxFlaggedWarnings {
		l.warnings = append(l.warnings, w)
	}
	if len(l.tail) > 0 {
		l.tail[l.next] = s
		l.next = (l.next + 1) % len(l.tail)
		l.full = l.full || l.next == 0
	}
	if l.shown < l.limit {
		l.shown++
		if l.emit != nil {
			l.emit(fmt.Sprintf("%s: %s\n", l.prefix, safetext.Line(s)), s)
		}
		return
	}
	if l.dropped == 0 && l.emit != nil {
		const note = "[more log lines not shown; the last ones are in the report]"
		l.emit(fmt.Sprintf("%s: %s\n", l.prefix, note), note)
	}
	l.dropped++
}

// lines returns the kept tail, oldest first.
func (l *logReader) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append([]string(nil), l.tail[:l.next]...)
	}
	return append(append([]string(nil), l.tail[l.next:]...), l.tail[:l.next]...)
}

// markCompleted starts counting late lines.
func (l *logReader) markCompleted(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.completedAt = t
}

// late counts the lines read well after the completion, and gives the first.
func (l *logReader) late() (int, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lateLines, l.firstLate
}

// flagged returns the lines the plugin flagged as warnings.
func (l *logReader) flagged() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.warnings...)
}

// droppedLines counts the lines not shown.
func (l *logReader) droppedLines() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped
}
