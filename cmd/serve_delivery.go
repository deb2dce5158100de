package cmd

import (
	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/pkg/wns"
)

// serveDelivery is how serve delivers accepted notifications.
type serveDelivery struct{}

func (d *serveDelivery) addFlags(*cobra.Command) {}

func (d *serveDelivery) deliverer(*Globals) (wns.Deliverer, error) { return nil, nil }

func (o *serveOutput) deliveryText(wns.Event) string { return "" }
