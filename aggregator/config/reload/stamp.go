package reload

import (
	"crypto/sha256"
	"fmt"
	"os"
)

// fileStamp identifies a version of the config files: mtimes and sizes
// catch most edits, the hash those within one mtime tick of the same size.
type fileStamp struct {
	hash [sha256.Size]byte
}

// statFiles stamps the config file and its included files together. A
// file added to an included directory is not seen until the main file
// changes or SIGHUP: listing directories every tick would cost more than
// the change is worth.
func statFiles(paths []string) (fileStamp, error) {
	h := sha256.New()
	for _, path := range paths {
		fi, err := os.Stat(path)
		if err != nil {
			return fileStamp{}, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fileStamp{}, err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%x\x00", path, fi.ModTime().UnixNano(), fi.Size(), sum)
	}
	var st fileStamp
	h.Sum(st.hash[:0])
	return st, nil
}
