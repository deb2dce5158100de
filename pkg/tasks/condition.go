package tasks

import (
	"fmt"
	"slices"
)

// contradictions are condition pairs that can never hold at the same time.
// Windows accepts them (it documents no check), but the task would never
// run; refusing them is a bgtask rule, not a Windows one.
var contradictions = [][2]SystemConditionType{
	{1, 2}, // UserPresent, UserNotPresent
	{3, 4}, // InternetAvailable, InternetNotAvailable
	{5, 6}, // SessionConnected, SessionDisconnected
}

// ParseConditions reads SystemConditionType names (any case) and returns
// them canonical: sorted by value, each once. Pairs that can never hold
// together are refused.
func ParseConditions(names []string) ([]SystemConditionType, error) {
	conds := make([]SystemConditionType, 0, len(names))
	for _, name := range names {
		c, err := ParseSystemConditionType(name)
		if err != nil {
			return nil, &InputError{Field: "condition", Value: name, Reason: err.Error()}
		}
		conds = append(conds, c)
	}
	return canonicalConditions(conds)
}

// canonicalConditions sorts and de-duplicates conds and refuses invalid
// values and contradictions.
func canonicalConditions(conds []SystemConditionType) ([]SystemConditionType, error) {
	if len(conds) == 0 {
		return nil, nil
	}
	out := slices.Clone(conds)
	slices.Sort(out)
	out = slices.Compact(out)
	for _, c := range out {
		if !c.Valid() {
			return nil, &InputError{Field: "condition", Value: c.String(), Reason: "not a SystemConditionType a task can be registered with"}
		}
	}
	for _, pair := range contradictions {
		if slices.Contains(out, pair[0]) && slices.Contains(out, pair[1]) {
			return nil, &InputError{
				Field:  "condition",
				Value:  fmt.Sprintf("%s+%s", pair[0], pair[1]),
				Reason: "these conditions can never hold together, so the task would never run",
			}
		}
	}
	return out, nil
}
