package store

// BatchSize bounds what one round trip of an ingest carries (see batch.go).
const BatchSize = batchSize
