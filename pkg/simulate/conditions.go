package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// opposites pairs the SystemConditionTypes that say the same thing with
// opposite values, so that one simulated fact answers both: Internet
// unavailable is InternetAvailable=false and InternetNotAvailable=true.
var opposites = map[tasks.SystemConditionType]tasks.SystemConditionType{
	1: 2, 2: 1, // UserPresent, UserNotPresent
	3: 4, 4: 3, // InternetAvailable, InternetNotAvailable
	5: 6, 6: 5, // SessionConnected, SessionDisconnected
}

// ConditionState is the simulated state of the SystemConditionTypes a
// registration can wait for. A condition nobody set holds, unless its
// opposite was set to hold: by default every registration's conditions are
// met, and --state says which are not.
type ConditionState struct {
	set map[tasks.SystemConditionType]bool
}

// ParseConditionState reads NAME=true|false settings, each spec one or more
// of them separated by commas (the --state syntax). Names are
// SystemConditionType names in any case. Setting a condition and its
// opposite to the same value is refused: they cannot both hold or both fail.
func ParseConditionState(specs []string) (ConditionState, error) {
	s := ConditionState{set: map[tasks.SystemConditionType]bool{}}
	for _, spec := range specs {
		for _, item := range strings.Split(spec, ",") {
			name, value, ok := strings.Cut(strings.TrimSpace(item), "=")
			if !ok {
				return ConditionState{}, fmt.Errorf("condition state %q: want NAME=true or NAME=false", item)
			}
			c, err := tasks.ParseSystemConditionType(name)
			if err != nil || !c.Valid() {
				return ConditionState{}, fmt.Errorf("condition state %q: %s is not a SystemConditionType; one of %s",
					item, name, strings.Join(conditionNames(), ", "))
			}
			holds, err := strconv.ParseBool(value)
			if err != nil {
				return ConditionState{}, fmt.Errorf("condition state %q: %q is not true or false", item, value)
			}
			if prev, seen := s.set[c]; seen && prev != holds {
				return ConditionState{}, fmt.Errorf("condition state: %s is set both true and false", c)
			}
			if o, paired := opposites[c]; paired {
				if other, seen := s.set[o]; seen && other == holds {
					return ConditionState{}, fmt.Errorf("condition state: %s and %s cannot both be %t", c, o, holds)
				}
			}
			s.set[c] = holds
		}
	}
	return s, nil
}

func conditionNames() []string {
	var names []string
	for _, c := range tasks.SystemConditionTypes() {
		if c.Valid() {
			names = append(names, c.String())
		}
	}
	return names
}

// Holds reports whether condition c holds in the state.
func (s ConditionState) Holds(c tasks.SystemConditionType) bool {
	if v, ok := s.set[c]; ok {
		return v
	}
	if o, paired := opposites[c]; paired {
		if v, ok := s.set[o]; ok {
			return !v
		}
	}
	return true
}

// Unmet returns the conditions of conds that do not hold.
func (s ConditionState) Unmet(conds []tasks.SystemConditionType) []tasks.SystemConditionType {
	var unmet []tasks.SystemConditionType
	for _, c := range conds {
		if !s.Holds(c) {
			unmet = append(unmet, c)
		}
	}
	return unmet
}

// without returns a copy of s in which c no longer holds.
func (s ConditionState) without(c tasks.SystemConditionType) ConditionState {
	out := ConditionState{set: make(map[tasks.SystemConditionType]bool, len(s.set)+2)}
	for k, v := range s.set {
		out.set[k] = v
	}
	out.set[c] = false
	if o, paired := opposites[c]; paired {
		out.set[o] = true
	}
	return out
}

// Settings lists the explicit settings as NAME=VALUE, in value order.
func (s ConditionState) Settings() []string {
	keys := make([]tasks.SystemConditionType, 0, len(s.set))
	for k := range s.set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s=%t", k, s.set[k]))
	}
	return out
}
