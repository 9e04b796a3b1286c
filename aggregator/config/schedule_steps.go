package config

import (
	"fmt"
	"strconv"
	"strings"
)

// cronField is one field of a five-field cron spec and the values it can
// take.
type cronField struct {
	name   string
	lo, hi int
}

var cronFields = [5]cronField{{"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 6}}

// checkCronSteps refuses a step larger than the range it steps through,
// such as "*/61" in the minute field. robfig/cron accepts it and fires at
// the range's first value only ("*/61 * * * *" is hourly, at minute 0),
// which is never what the operator meant. A spec robfig/cron cannot parse
// anyway (wrong field count, bad numbers, names) is left to its parser,
// whose message is the better one.
func checkCronSteps(spec string) error {
	if isZonePrefix(spec) {
		_, spec, _ = strings.Cut(spec, " ")
	}
	fields := strings.Fields(spec)
	if len(fields) != len(cronFields) {
		return nil
	}
	for i, f := range fields {
		for part := range strings.SplitSeq(f, ",") {
			if err := cronFields[i].checkStep(part); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkStep checks one comma-separated part of the field: "*/N", "?/N" or
// "A-B/N". A single value with a step ("5/N", which robfig/cron extends to
// the field's end) is left alone.
func (cf cronField) checkStep(part string) error {
	rng, stepText, ok := strings.Cut(part, "/")
	if !ok {
		return nil
	}
	step, err := strconv.Atoi(stepText)
	if err != nil || step <= 0 {
		return nil
	}
	lo, hi := cf.lo, cf.hi
	if rng != "*" && rng != "?" {
		a, b, isRange := strings.Cut(rng, "-")
		if !isRange {
			return nil
		}
		if lo, err = strconv.Atoi(a); err != nil {
			return nil
		}
		if hi, err = strconv.Atoi(b); err != nil {
			return nil
		}
	}
	if span := hi - lo; step > span && span > 0 {
		return fmt.Errorf("%s step %d is larger than its range %d-%d (the field would match %d only); use a step of at most %d",
			cf.name, step, lo, hi, lo, span)
	}
	return nil
}
