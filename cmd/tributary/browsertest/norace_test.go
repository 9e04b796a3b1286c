//go:build !race

package browsertest

// raceDetector says the tests run under -race (see race_test.go).
const raceDetector = false
