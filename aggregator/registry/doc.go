// Package registry merges the sources of the config file with those added
// through the admin API (kept in the store, see store.APISource) into the
// one list the scheduler polls and the server publishes, and carries out
// the admin API's requests: add, remove, pause, resume, poll now.
//
// Every instance keeps its own Registry. Changes made on one instance reach
// the others through the store's admin channel ("sources" makes them
// re-read the API sources; "poll source|section <id>" asks whichever
// instance polls to poll), and a periodic re-read covers messages lost
// while a connection was down. The config file wins: an API source whose
// id or URL the file also has is set aside with a warning, as is one whose
// sections no longer exist.
package registry
