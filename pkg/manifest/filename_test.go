package manifest

import "testing"

// Executable and StartPage are ST_FileName in the schema
// (AppxManifestTypes.xsd). Each verdict below is xmllint's, validating a
// manifest with the value as a background-task Executable against
// Microsoft's XSDs (shared/schemas/msix, 2026-12-02). A hostile review found
// manifest add writing the invalid ones, and lint silent on them.
func TestExecutableIsAFileNameAsTheSchemaHasIt(t *testing.T) {
	for _, tc := range []struct {
		value string
		valid bool
	}{
		{"App.exe", true},
		{`sub\App.exe`, true},
		{"sub/App.exe", true},
		{"a b.exe", true},
		{"a'b.exe", true},
		{"a&b.exe", true},
		{`.hidden\App.exe`, true},
		{"ü.exe", true},
		{"$targetnametoken$.exe", true},
		{"a#b.exe", true},
		{"a .exe", true},
		{`C:\App.exe`, false},
		{"/App.exe", false},
		{"a/../App.exe", false},
		{"a%b.exe", false},
		{"<x>.exe", false},
		{`a\\b.exe`, false},
		{`sub\App.exe\`, false},
		{"./App.exe", false},
		{`sub/x\App.exe`, false},
		{`x.\App.exe`, false},
		{" App.exe", false},
		{"App.dll", false},
	} {
		err := CheckExecutable(tc.value)
		if (err == nil) != tc.valid {
			t.Errorf("CheckExecutable(%q) = %v; xmllint says valid=%v", tc.value, err, tc.valid)
		}
	}
}

// The same, xmllint's verdicts on the values as a background-task StartPage.
func TestStartPageIsAFileName(t *testing.T) {
	for _, tc := range []struct {
		value string
		valid bool
	}{
		{`js\backgroundtask.js`, true},
		{"js/t.js", true},
		{`js\t?.js`, false},
		{"/abs/t.js", false},
		{`js\`, false},
		{"js/t.js/", false},
		{`C:\t.js`, false},
	} {
		if err := CheckStartPage(tc.value); (err == nil) != tc.valid {
			t.Errorf("CheckStartPage(%q) = %v; want valid=%v", tc.value, err, tc.valid)
		}
	}
}
