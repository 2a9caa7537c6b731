package text_test

import (
	"strings"
	"testing"

	"github.com/tapstack/infra/internal/text"
)

func TestQuote(t *testing.T) {
	if got := text.Quote("stage"); got != `"stage"` {
		t.Errorf("Quote(stage) = %s", got)
	}
	long := strings.Repeat("a", 10000)
	got := text.Quote(long)
	if want := `"` + strings.Repeat("a", text.MaxQuoted) + `"... (10000 characters)`; got != want {
		t.Errorf("Quote(long) = %s", got)
	}
	if got := text.Quote(strings.Repeat("b", text.MaxQuoted)); strings.Contains(got, "characters") {
		t.Errorf("a value at the limit was cut: %s", got)
	}
}
