package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestMatchWeightsFlagNamesABadTerm(t *testing.T) {
	// The flags are read before any database is opened: no environment.
	none := func(string) string { return "" }
	for args, want := range map[string]string{
		"travle=2":              `unknown term "travle"`,
		"travel=2,travel=3":     `"travel" given twice`,
		"travel":                `"travel" is not term=weight`,
		"continuity=lots":       `continuity="lots" is not a number`,
		"travel=2,,fairness=1":  `"" is not term=weight`,
		"fairness=1,cost=2,x=1": `unknown term "x"`,
	} {
		var stderr bytes.Buffer
		err := match(context.Background(), []string{"--weights", args}, none, &bytes.Buffer{}, &stderr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--weights %s: %v, want an error containing %s", args, err, want)
		}
	}
	w, err := parseWeights(" travel=2 , continuity=0.5")
	if err != nil || len(w) != 2 || w["travel"] != 2 || w["continuity"] != 0.5 {
		t.Errorf("parseWeights: %v %v", w, err)
	}
	if err := match(context.Background(), []string{"--moves", "-1"}, none, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "--moves") {
		t.Errorf("--moves -1: %v", err)
	}
}
