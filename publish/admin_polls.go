package publish

import (
	"net/http"
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// polls serves GET /api/v1/admin/sources/{id}/polls: the source's recent
// polls, newest first, as {"polls": […]}; ?limit=N keeps the newest N.
func (a *adminAPI) polls(w http.ResponseWriter, r *http.Request) {
	limit := 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeAdminError(w, http.StatusBadRequest, "limit", "limit: must be a whole number of at least 1, got "+strconv.Quote(v))
			return
		}
		limit = n
	}
	recs, err := a.admin.PollHistory(r.Context(), r.PathValue("id"), limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeAdminJSON(w, http.StatusOK, struct {
		Polls []model.PollRecord `json:"polls"`
	}{Polls: append([]model.PollRecord{}, recs...)})
}
