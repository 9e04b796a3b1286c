// Package scheduler decides when each source is polled: the due-set loop
// shared by every instance through Redis (its keys and scripts are package
// dueset's), claims and their leases,
// edits and poll requests applied inside the completion's atomic step, the
// article passes after a poll, and the watcher that re-seeds the schedule
// when the store lost its data. The decisions themselves (next due time,
// backoff, feed hints) are pure functions in package plan.
//
// It never reads a source itself (package poll does) and never serves HTTP.
package scheduler
