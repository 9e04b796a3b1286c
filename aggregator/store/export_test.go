package store

// BatchSize bounds what one round trip of an ingest carries (see batch.go).
const BatchSize = batchSize

// RecountChunk is how many sources one round trip of a recount reads.
const RecountChunk = recountChunk
