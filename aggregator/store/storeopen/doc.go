// Package storeopen opens the store a config names: a Redis reached by
// redis.url, or by redis.addrs as one server, a Cluster or a
// Sentinel-managed master (with redis.tls), else the embedded store,
// restored from storage.snapshot and snapshotted back to it. Commands
// that only read open the embedded store from its snapshot and never
// write it.
//
// It connects and hands back a *store.Store with the func that closes it;
// it never reads or writes Tributary's keys itself (but for releasing,
// through package dueset, the poll claims a crash left in a snapshot)
// and never holds the snapshot's lock (package snapshotguard does).
package storeopen
