package preview

import (
	"context"
	"sync"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// PreviewAll previews every source, at most n at once (n below 1 is 1),
// and returns each one's preview and error at its index. Sources not
// started when ctx ends get ctx's error. A bound of a few keeps a check
// of a few hundred sources to minutes while no member site sees more
// than one request of it at a time (sources of one site are few, and
// the fetcher bounds requests per host).
func (p *Previewer) PreviewAll(ctx context.Context, sources []model.Source, n int) ([]model.Preview, []error) {
	results := make([]model.Preview, len(sources))
	errs := make([]error, len(sources))
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				results[i].Error = ctx.Err().Error()
				return
			}
			defer func() { <-sem }()
			results[i], errs[i] = p.Preview(ctx, src)
		})
	}
	wg.Wait()
	return results, errs
}
