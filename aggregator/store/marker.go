package store

import (
	"context"

	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnsureMarker writes the store's marker key unless it exists, and reports
// whether it had to. The marker lives as long as the store's data: a daemon
// that finds it gone after having seen it knows Redis lost everything (a
// restart without persistence, a FLUSHALL) and that its sources' stored
// state went with it.
//
// On Redis Cluster each master loses its data on its own, so each gets a
// marker of its own (a key whose hash tag falls in one of its slots), and
// created is true when any of them had to be written.
func (s *Store) EnsureMarker(ctx context.Context) (created bool, err error) {
	if cc, ok := s.client.(*redis.ClusterClient); ok {
		return s.ensureClusterMarkers(ctx, cc)
	}
	created, err = s.client.SetNX(ctx, s.keys.Marker(), markerValue(), 0).Result()
	if err != nil {
		return false, fmt.Errorf("ensure store marker: %w", err)
	}
	return created, nil
}

func markerValue() string { return time.Now().UTC().Format(time.RFC3339) }

func (s *Store) ensureClusterMarkers(ctx context.Context, cc *redis.ClusterClient) (bool, error) {
	slots, err := cc.ClusterSlots(ctx).Result()
	if err != nil {
		return false, fmt.Errorf("ensure store markers: cluster slots: %w", err)
	}
	var created atomic.Bool
	err = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		key, ok := markerKeyFor(s.keys.Marker(), node.Options().Addr, slots)
		if !ok {
			return nil // a master serving no slots holds no data to lose
		}
		c, err := node.SetNX(ctx, key, markerValue(), 0).Result()
		if err != nil {
			return fmt.Errorf("%s: %w", node.Options().Addr, err)
		}
		if c {
			created.Store(true)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("ensure store markers: %w", err)
	}
	return created.Load(), nil
}

// markerKeyFor returns base plus the first hash tag ({0}, {1}, …) whose slot
// the master at addr serves.
func markerKeyFor(base, addr string, slots []redis.ClusterSlot) (string, bool) {
	var mine []redis.ClusterSlot
	for _, s := range slots {
		if len(s.Nodes) > 0 && s.Nodes[0].Addr == addr {
			mine = append(mine, s)
		}
	}
	if len(mine) == 0 {
		return "", false
	}
	// 16384 slots, so some tag below a few hundred thousand lands in any
	// non-empty range; the loop is bounded all the same.
	for i := range 1 << 20 {
		tag := strconv.Itoa(i)
		slot := int(crc16([]byte(tag)) % 16384)
		for _, s := range mine {
			if s.Start <= slot && slot <= s.End {
				return base + ":{" + tag + "}", true
			}
		}
	}
	return "", false
}

// crc16 is CRC-16/XMODEM, the function Redis Cluster maps keys to slots
// with.
func crc16(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
