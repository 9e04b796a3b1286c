//go:build race

package browsertest

// raceDetector says the tests run under -race: the daemon they start is
// built with it too, as it was when it ran inside the test binary.
const raceDetector = true
