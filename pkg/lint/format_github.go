package lint

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bgtask/bgtask/internal/safetext"
)

// WriteGitHub writes GitHub Actions workflow commands, which the runner turns
// into annotations on the pull request:
//
//	::error file=path,line=3,col=5,title=BT004::message
//
// Values are escaped as @actions/core's command.ts does: in the message %,
// CR and LF; in properties also ":" and ",". The column counts UTF-16 code
// units (characters, for the text of a manifest), as GitHub's web UI does.
// Manifest values in messages and paths are escaped first (safetext), as in
// the text format: the runner's log is a terminal-like view, where a C1
// control such as U+009B would act. A message may keep its line breaks: an
// annotation is one command, so they cannot forge another.
func WriteGitHub(w io.Writer, r Report) error {
	for _, f := range r.Findings {
		cmd := "warning"
		if f.Severity == SeverityError {
			cmd = "error"
		}
		_, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			cmd,
			escapeGitHubProperty(safetext.Escape(filepath.ToSlash(f.Path))),
			f.Line, f.ColumnUTF16(),
			escapeGitHubProperty(f.RuleID),
			escapeGitHubData(safetext.Text(f.Message)))
		if err != nil {
			return err
		}
	}
	return nil
}

func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
