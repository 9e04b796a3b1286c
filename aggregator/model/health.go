package model

import "time"

// SourceHealth is what alerting rules read of a source's state: when a
// poll last succeeded (zero: never) and how many polls in a row have
// failed since.
type SourceHealth struct {
	LastSuccess time.Time
	ErrorsInRow int
}
