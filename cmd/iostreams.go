package cmd

import (
	"bytes"
	"io"
	"os"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

// IOStreams is what a command reads from and writes to. Commands never touch
// os.Stdin/os.Stdout directly, so tests run them in-process with buffers and
// colour follows the stream a command writes to, not the process.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// OutTTY and ErrTTY say whether Out and ErrOut are terminals; colour and
	// progress output are only written to terminals.
	OutTTY bool
	ErrTTY bool

	// Getenv reads the environment (NO_COLOR, BGTASK_REGISTRY); injected so
	// tests do not depend on the caller's environment.
	Getenv func(string) string
}

// SystemIO returns the process's own standard streams.
func SystemIO() *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		OutTTY: isTerminal(os.Stdout),
		ErrTTY: isTerminal(os.Stderr),
		Getenv: os.Getenv,
	}
}

// TestIO returns streams backed by buffers: stdin, stdout, stderr.
func TestIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, Getenv: func(string) string { return "" }}, in, out, errOut
}

// isTerminal reports whether f is a terminal that renders colour escape codes.
func isTerminal(f *os.File) bool {
	if isatty.IsCygwinTerminal(f.Fd()) {
		return true
	}
	return isatty.IsTerminal(f.Fd()) && enableEscapeCodes(f)
}

// Palette colours text for one stream. Its zero value writes plain text.
type Palette struct{ enabled bool }

func (p Palette) paint(attrs ...color.Attribute) func(a ...any) string {
	c := color.New(attrs...)
	if p.enabled {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return c.SprintFunc()
}

func (p Palette) Red(a ...any) string    { return p.paint(color.FgRed, color.Bold)(a...) }
func (p Palette) Yellow(a ...any) string { return p.paint(color.FgYellow)(a...) }
func (p Palette) Green(a ...any) string  { return p.paint(color.FgGreen)(a...) }
func (p Palette) Cyan(a ...any) string   { return p.paint(color.FgCyan)(a...) }
func (p Palette) Bold(a ...any) string   { return p.paint(color.Bold)(a...) }
func (p Palette) Faint(a ...any) string  { return p.paint(color.Faint)(a...) }

// Enabled reports whether this palette writes escape codes.
func (p Palette) Enabled() bool { return p.enabled }
