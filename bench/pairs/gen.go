package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// manifestHead and manifestTail frame the extensions of a generated
// manifest: a Windows 10 app as Visual Studio's template writes it, with a
// BOM, identity, visual elements and capabilities.
const manifestHead = "\ufeff" + `<?xml version="1.0" encoding="utf-8"?>

<Package
  xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"
  xmlns:mp="http://schemas.microsoft.com/appx/2014/phone/manifest"
  xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10"
  xmlns:rescap="http://schemas.microsoft.com/appx/manifest/foundation/windows10/restrictedcapabilities"
  IgnorableNamespaces="uap mp rescap">

  <Identity
    Name="Contoso.Bench%[1]d"
    Publisher="CN=Contoso, O=Contoso Ltd, L=Redmond, S=Washington, C=US"
    Version="1.0.%[1]d.0" />

  <mp:PhoneIdentity PhoneProductId="8f5c3c8e-2f5e-4c0a-9a55-0d3a4c0b6d11" PhonePublisherId="00000000-0000-0000-0000-000000000000"/>

  <Properties>
    <DisplayName>Bench app %[1]d</DisplayName>
    <PublisherDisplayName>Contoso</PublisherDisplayName>
    <Logo>Assets\StoreLogo.png</Logo>
    <Description>A generated manifest for bgtask's lint benchmark; its size and shape follow the templates Visual Studio writes.</Description>
  </Properties>

  <Dependencies>
    <TargetDeviceFamily Name="Windows.Universal" MinVersion="10.0.17763.0" MaxVersionTested="10.0.22621.0" />
  </Dependencies>

  <Resources>
    <Resource Language="x-generate"/>
  </Resources>

  <Applications>
    <Application Id="App"
      Executable="$targetnametoken$.exe"
      EntryPoint="Bench%[1]d.App">
      <uap:VisualElements
        DisplayName="Bench app %[1]d"
        Square150x150Logo="Assets\Square150x150Logo.png"
        Square44x44Logo="Assets\Square44x44Logo.png"
        Description="Receives WNS raw notifications in a background task"
        BackgroundColor="transparent">
        <uap:DefaultTile Wide310x150Logo="Assets\Wide310x150Logo.png" Square71x71Logo="Assets\SmallTile.png" Square310x310Logo="Assets\LargeTile.png">
          <uap:ShowNameOnTiles>
            <uap:ShowOn Tile="square150x150Logo"/>
            <uap:ShowOn Tile="wide310x150Logo"/>
          </uap:ShowNameOnTiles>
        </uap:DefaultTile>
        <uap:SplashScreen Image="Assets\SplashScreen.png" BackgroundColor="#1E1E1E"/>
        <uap:InitialRotationPreference>
          <uap:Rotation Preference="landscape"/>
          <uap:Rotation Preference="portrait"/>
        </uap:InitialRotationPreference>
      </uap:VisualElements>
      <Extensions>
`

const extension = `        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Task%d">
          <BackgroundTasks>
            <Task Type="pushNotification" />
            <Task Type="timer" />
          </BackgroundTasks>
        </Extension>
`

const manifestTail = `        <uap:Extension Category="windows.protocol">
          <uap:Protocol Name="bench-app">
            <uap:DisplayName>Bench app</uap:DisplayName>
          </uap:Protocol>
        </uap:Extension>
      </Extensions>
    </Application>
  </Applications>

  <Capabilities>
    <Capability Name="internetClient" />
    <Capability Name="privateNetworkClientServer" />
    <uap:Capability Name="picturesLibrary" />
    <DeviceCapability Name="location" />
    <DeviceCapability Name="webcam" />
  </Capabilities>
</Package>
`

func manifest(n, extensions int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, manifestHead, n)
	for i := range extensions {
		fmt.Fprintf(&b, extension, i+1)
	}
	b.WriteString(manifestTail)
	return b.Bytes()
}

// genManifests writes n manifests of about 4 KiB, each in its own folder as
// in a repository of many apps, each declaring four background tasks.
func genManifests(dir string, n int) error {
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("%05d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(sub, "Package.appxmanifest"), manifest(i, 4), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// genExtensions writes one manifest declaring n background task extensions.
func genExtensions(file string, n int) error {
	return os.WriteFile(file, manifest(0, n), 0o644)
}

// genRegistry writes a version 1 registry of n push registrations of
// Tasks.Task1, as bgtask writes it (two-space indent, sorted by name).
func genRegistry(file string, n int) error {
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": 1,\n  \"registrations\": [")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
    {
      "taskId": "%08x-0000-4000-8000-%012x",
      "name": "Task%06d",
      "entryPoint": "Tasks.Task1",
      "trigger": "push",
      "conditions": [],
      "cancelOnConditionLoss": false,
      "plugin": "",
      "registered": "2026-12-01T10:00:00Z"
    }`, i+1, i+1, i)
	}
	b.WriteString("\n  ]\n}\n")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}
