// Package sampleapp is the sample app bgtask quickstart starts from: the
// seed's Package.appxmanifest before its background task is declared, so
// the walkthrough can declare it with bgtask manifest add.
package sampleapp

import _ "embed"

// Manifest is the sample app's Package.appxmanifest.
//
//go:embed Package.appxmanifest
var Manifest []byte
