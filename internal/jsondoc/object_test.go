package jsondoc

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// apiResponse is a document as the API returns it: re-encoded, with members in another
// order and stamped with the server-owned fields.
const apiResponse = `{
	"updatedBy": "alice@example.com",
	"name": "support",
	"bots": [{"name": "triage", "model": "m-1"}],
	"updated": 1700000000000,
	"limits": {"burst": 1.0e1, "rate": 2.5}
}`

func mustParseObject(t *testing.T, data string) *Object {
	t.Helper()
	o, err := ParseObject([]byte(data))
	if err != nil {
		t.Fatalf("ParseObject(%s) returned error: %v", data, err)
	}
	return o
}

func TestParseObjectKeys(t *testing.T) {
	o := mustParseObject(t, apiResponse)
	want := []string{"bots", "limits", "name", "updated", "updatedBy"}
	if got := o.Keys(); !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want %q", got, want)
	}
}

func TestParseObjectCanonical(t *testing.T) {
	o := mustParseObject(t, apiResponse)
	want, err := NormalizeObject([]byte(apiResponse))
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Canonical(); string(got) != string(want) {
		t.Errorf("Canonical() = %s, want the NormalizeObject output %s", got, want)
	}
}

func TestParseObjectRejectsInvalidJSON(t *testing.T) {
	_, err := ParseObject([]byte(`{"a":1,"a":2}`))
	var duplicateErr *DuplicateKeyError
	if !errors.As(err, &duplicateErr) {
		t.Errorf("ParseObject with a duplicate key returned %v, want a *DuplicateKeyError", err)
	}
}

func TestObjectHas(t *testing.T) {
	o := mustParseObject(t, apiResponse)
	for _, key := range []string{"bots", "updated", "updatedBy"} {
		if !o.Has(key) {
			t.Errorf("Has(%q) = false, want true", key)
		}
	}
	for _, key := range []string{"", "update", "Updated", "burst"} {
		if o.Has(key) {
			t.Errorf("Has(%q) = true, want false", key)
		}
	}
}

func TestObjectMember(t *testing.T) {
	o := mustParseObject(t, apiResponse)
	tests := []struct {
		key  string
		want string
	}{
		{"bots", `[{"model":"m-1","name":"triage"}]`},
		{"limits", `{"burst":10,"rate":2.5}`},
		{"name", `"support"`},
		{"updated", `1700000000000`},
	}
	for _, tc := range tests {
		got, found := o.Member(tc.key)
		if !found {
			t.Errorf("Member(%q) found nothing, want %s", tc.key, tc.want)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("Member(%q) = %s, want %s", tc.key, got, tc.want)
		}
	}
	if got, found := o.Member("missing"); found || got != nil {
		t.Errorf("Member(%q) = %s, %v, want nil, false", "missing", got, found)
	}
}

func TestObjectMemberAppendKeepsObject(t *testing.T) {
	o := mustParseObject(t, `{"a":1,"b":2}`)
	value, _ := o.Member("a")
	_ = append(value, '0')
	if got := string(o.Canonical()); got != `{"a":1,"b":2}` {
		t.Errorf("appending to a Member result changed Canonical() to %s", got)
	}
}

func TestObjectWithout(t *testing.T) {
	o := mustParseObject(t, apiResponse)
	body := o.Without("updated", "updatedBy", "missing")

	want := `{"bots":[{"model":"m-1","name":"triage"}],"limits":{"burst":10,"rate":2.5},"name":"support"}`
	if got := string(body.Canonical()); got != want {
		t.Errorf("Without(...).Canonical() = %s, want %s", got, want)
	}
	if got := body.Keys(); !slices.Equal(got, []string{"bots", "limits", "name"}) {
		t.Errorf("Without(...).Keys() = %q", got)
	}
	if value, _ := body.Member("name"); string(value) != `"support"` {
		t.Errorf("Without(...).Member(%q) = %s, want %q", "name", value, `"support"`)
	}
	if !o.Has("updated") || len(o.Keys()) != 5 {
		t.Errorf("Without changed the original object to %s", o.Canonical())
	}

	config := `{"name":"support","limits":{"rate":2.5,"burst":10},"bots":[{"name":"triage","model":"m-1"}]}`
	if equal, err := Equal(body.Canonical(), []byte(config)); err != nil || !equal {
		t.Errorf("API response without server fields is not equal to the configuration: %v, %v", equal, err)
	}
}

func TestObjectWithoutEdgeCases(t *testing.T) {
	o := mustParseObject(t, `{"a":1,"b":2}`)
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"no keys", nil, `{"a":1,"b":2}`},
		{"absent key", []string{"c"}, `{"a":1,"b":2}`},
		{"first key", []string{"a"}, `{"b":2}`},
		{"last key", []string{"b"}, `{"a":1}`},
		{"repeated key", []string{"a", "a"}, `{"b":2}`},
		{"every key", []string{"b", "a"}, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(o.Without(tc.keys...).Canonical()); got != tc.want {
				t.Errorf("Without(%q).Canonical() = %s, want %s", tc.keys, got, tc.want)
			}
		})
	}
}

func TestObjectMerge(t *testing.T) {
	body := mustParseObject(t, `{"name":"support","bots":[]}`)
	stamp := mustParseObject(t, `{"updatedBy":"alice","updated":1}`)
	merged, err := body.Merge(stamp)
	if err != nil {
		t.Fatalf("Merge returned error: %v", err)
	}

	want := `{"bots":[],"name":"support","updated":1,"updatedBy":"alice"}`
	if got := string(merged.Canonical()); got != want {
		t.Errorf("Merge(...).Canonical() = %s, want %s", got, want)
	}
	if got := merged.Keys(); !slices.Equal(got, []string{"bots", "name", "updated", "updatedBy"}) {
		t.Errorf("Merge(...).Keys() = %q", got)
	}
	if value, found := merged.Member("updatedBy"); !found || string(value) != `"alice"` {
		t.Errorf("Merge(...).Member(%q) = %s, %v, want %q, true", "updatedBy", value, found, `"alice"`)
	}
	if got := string(body.Canonical()); got != `{"bots":[],"name":"support"}` {
		t.Errorf("Merge changed the receiver to %s", got)
	}
}

func TestObjectMergeConflict(t *testing.T) {
	body := mustParseObject(t, `{"b":1,"updated":2,"updatedBy":"bob","z":0}`)
	stamp := mustParseObject(t, `{"updatedBy":"alice","updated":1}`)
	_, err := body.Merge(stamp)
	var conflictErr *MergeConflictError
	if !errors.As(err, &conflictErr) {
		t.Fatalf("Merge with shared keys returned %v, want a *MergeConflictError", err)
	}
	if conflictErr.Key != "updated" {
		t.Errorf("MergeConflictError.Key = %q, want the first shared key %q", conflictErr.Key, "updated")
	}
	if want := `key "updated" is present in both`; !strings.Contains(err.Error(), want) {
		t.Errorf("Merge returned %q, want it to contain %q", err, want)
	}
}

func TestObjectMergeEmpty(t *testing.T) {
	o := mustParseObject(t, `{"a":1}`)
	for _, empty := range []*Object{mustParseObject(t, `{}`), {}} {
		merged, err := o.Merge(empty)
		if err != nil || string(merged.Canonical()) != `{"a":1}` {
			t.Errorf("Merge with an empty object = %s, %v, want {\"a\":1}, nil", merged.Canonical(), err)
		}
		merged, err = empty.Merge(o)
		if err != nil || string(merged.Canonical()) != `{"a":1}` {
			t.Errorf("empty Merge with an object = %s, %v, want {\"a\":1}, nil", merged.Canonical(), err)
		}
	}
}

func TestZeroObjectIsEmpty(t *testing.T) {
	var o Object
	if got := string(o.Canonical()); got != `{}` {
		t.Errorf("zero Object Canonical() = %s, want {}", got)
	}
	if len(o.Keys()) != 0 || o.Has("") {
		t.Errorf("zero Object has keys %q", o.Keys())
	}
	if got := string(o.Without("a").Canonical()); got != `{}` {
		t.Errorf("zero Object Without(...).Canonical() = %s, want {}", got)
	}
}

func TestObjectKeysWithEscapes(t *testing.T) {
	o := mustParseObject(t, `{"\u00e9":1,"a\"b":2,"\ud83d\ude00":3}`)
	want := []string{"a\"b", "é", "😀"}
	if got := o.Keys(); !slices.Equal(got, want) {
		t.Errorf("Keys() = %q, want decoded keys %q", got, want)
	}
	if value, found := o.Member("é"); !found || string(value) != "1" {
		t.Errorf("Member(%q) = %s, %v, want 1, true", "é", value, found)
	}
	if got := string(o.Without("a\"b").Canonical()); got != `{"é":1,"😀":3}` {
		t.Errorf("Without(%q).Canonical() = %s", "a\"b", got)
	}
}
