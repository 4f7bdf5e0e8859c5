package jsondoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmark documents imitate what the provider stores: users and bots with strings,
// numbers, nested objects and arrays. Struct fields are declared out of key order, so
// the encoded members are unsorted like an API response, and encoding/json escapes
// HTML characters like jsonencode does.
type benchUser struct {
	ID        int64            `json:"id"`
	Name      string           `json:"name"`
	Email     string           `json:"email"`
	Active    bool             `json:"active"`
	Score     float64          `json:"score"`
	Roles     []string         `json:"roles"`
	CreatedAt int64            `json:"createdAt"`
	Profile   benchUserProfile `json:"profile"`
}

type benchUserProfile struct {
	Bio      string         `json:"bio"`
	Locale   string         `json:"locale"`
	Tags     []string       `json:"tags"`
	Settings map[string]any `json:"settings"`
}

type benchBot struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Model       string  `json:"model"`
	Temperature float64 `json:"temperature"`
	Prompt      string  `json:"prompt"`
	UserIDs     []int64 `json:"userIds"`
	MaxTokens   int     `json:"maxTokens"`
}

type benchDocument struct {
	Name      string      `json:"name"`
	Version   int         `json:"version"`
	Users     []benchUser `json:"users"`
	Bots      []benchBot  `json:"bots"`
	Updated   int64       `json:"updated"`
	UpdatedBy string      `json:"updatedBy"`
}

// generateDocument returns a deterministic JSON document of about size bytes.
func generateDocument(size int) []byte {
	random := rand.New(rand.NewPCG(1, uint64(size)))
	words := []string{"alpha", "beta", "gamma", "delta", "café", "naïve", "<b>bold</b>", "a & b", "line\nbreak", "\"quoted\""}
	word := func() string { return words[random.IntN(len(words))] }

	document := benchDocument{Name: "support", Version: 3, Updated: 1700000000000, UpdatedBy: "alice@example.com"}
	encoded, _ := json.Marshal(document)
	total := len(encoded)
	for i := 0; total < size; i++ {
		var element []byte
		if i%4 == 3 {
			bot := benchBot{
				ID:          fmt.Sprintf("bot-%d", i),
				Name:        word() + " bot",
				Model:       "model-" + word(),
				Temperature: float64(random.IntN(100)) / 100,
				Prompt:      fmt.Sprintf("You help %s users with %s. Reply in %s.", word(), word(), word()),
				UserIDs:     []int64{int64(random.IntN(1e6)), int64(random.IntN(1e6))},
				MaxTokens:   256 << random.IntN(4),
			}
			document.Bots = append(document.Bots, bot)
			element, _ = json.Marshal(bot)
		} else {
			user := benchUser{
				ID:        int64(i) + 9007199254740000,
				Name:      word() + " " + word(),
				Email:     fmt.Sprintf("user%d@example.com", i),
				Active:    random.IntN(2) == 0,
				Score:     random.Float64() * 100,
				Roles:     []string{"reader", word()},
				CreatedAt: 1600000000000 + int64(random.IntN(1e9)),
				Profile: benchUserProfile{
					Bio:    word() + " " + word() + " " + word(),
					Locale: "en-GB",
					Tags:   []string{word(), word(), word()},
					Settings: map[string]any{
						"theme":         "dark",
						"notifications": map[string]any{"email": true, "digestHours": random.IntN(48)},
						"ratio":         1.5e-7 * float64(random.IntN(1000)),
					},
				},
			}
			document.Users = append(document.Users, user)
			element, _ = json.Marshal(user)
		}
		total += len(element) + len(",")
	}
	encoded, _ = json.Marshal(document)
	return encoded
}

var benchSizes = []struct {
	name string
	size int
}{
	{"1KB", 1 << 10},
	{"100KB", 100 << 10},
	{"5MB", 5 << 20},
}

func BenchmarkNormalize(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			document := generateDocument(size.size)
			b.ReportAllocs()
			b.SetBytes(int64(len(document)))
			for b.Loop() {
				if _, err := Normalize(document); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEqual compares a document with its canonical form indented, as when an
// API response is compared with the configuration.
func BenchmarkEqual(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			document := generateDocument(size.size)
			canonical, err := Normalize(document)
			if err != nil {
				b.Fatal(err)
			}
			var indented bytes.Buffer
			if err := json.Indent(&indented, canonical, "", "  "); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(document) + indented.Len()))
			for b.Loop() {
				equal, err := Equal(document, indented.Bytes())
				if err != nil || !equal {
					b.Fatalf("Equal = %v, %v, want true, nil", equal, err)
				}
			}
		})
	}
}

// BenchmarkParseObject measures what the provider does with each response: parse it,
// drop the server-owned fields and encode the rest.
func BenchmarkParseObject(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			document := generateDocument(size.size)
			b.ReportAllocs()
			b.SetBytes(int64(len(document)))
			for b.Loop() {
				o, err := ParseObject(document)
				if err != nil {
					b.Fatal(err)
				}
				_ = o.Without("updated", "updatedBy").Canonical()
			}
		})
	}
}

func TestGenerateDocumentSize(t *testing.T) {
	for _, size := range benchSizes {
		document := generateDocument(size.size)
		if len(document) < size.size || len(document) > size.size+size.size/4+1024 {
			t.Errorf("generateDocument(%d) returned %d bytes, want about %d", size.size, len(document), size.size)
		}
		if _, err := NormalizeObject(document); err != nil {
			t.Errorf("generateDocument(%d) is not a valid object: %v", size.size, err)
		}
	}
}
