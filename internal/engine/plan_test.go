package engine

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tapstack/infra/internal/tfjson"
)

func mp(v any) []byte {
	var b []byte
	var enc func(v any)
	enc = func(v any) {
		switch v := v.(type) {
		case nil:
			b = append(b, 0xc0)
		case bool:
			if v {
				b = append(b, 0xc3)
			} else {
				b = append(b, 0xc2)
			}
		case int:
			switch {
			case v >= 0 && v < 128:
				b = append(b, byte(v))
			case v < 0 && v >= -32:
				b = append(b, byte(int8(v)))
			case v >= 0 && v < 256:
				b = append(b, 0xcc, byte(v))
			case v >= 0 && v < 65536:
				b = append(b, 0xcd, byte(v>>8), byte(v))
			case v >= -128 && v < 0:
				b = append(b, 0xd0, byte(int8(v)))
			default:
				b = append(b, 0xd3)
				b = binary.BigEndian.AppendUint64(b, uint64(v))
			}
		case uint64:
			b = append(b, 0xcf)
			b = binary.BigEndian.AppendUint64(b, v)
		case float64:
			b = append(b, 0xcb)
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		case float32:
			b = append(b, 0xca)
			b = binary.BigEndian.AppendUint32(b, math.Float32bits(v))
		case string:
			switch {
			case len(v) < 32:
				b = append(b, 0xa0|byte(len(v)))
			case len(v) < 256:
				b = append(b, 0xd9, byte(len(v)))
			default:
				b = append(b, 0xda, byte(len(v)>>8), byte(len(v)))
			}
			b = append(b, v...)
		case []byte:
			b = append(b, 0xc4, byte(len(v)))
			b = append(b, v...)
		case []any:
			if len(v) < 16 {
				b = append(b, 0x90|byte(len(v)))
			} else {
				b = append(b, 0xdc, byte(len(v)>>8), byte(len(v)))
			}
			for _, e := range v {
				enc(e)
			}
		case map[string]any:
			if len(v) < 16 {
				b = append(b, 0x80|byte(len(v)))
			} else {
				b = append(b, 0xde, byte(len(v)>>8), byte(len(v)))
			}
			for _, k := range tfjson.SortedKeys(v) {
				enc(k)
				enc(v[k])
			}
		case tfjson.UnknownValue:
			b = append(b, 0xd4, 0, 0)
		case [2]byte: // a refined tfjson.Unknown (ext 8)
			b = append(b, 0xc7, 2, 0x0c, v[0], v[1])
		}
	}
	enc(v)
	return b
}

func pbVarint(field int, v uint64) []byte {
	b := binary.AppendUvarint(nil, uint64(field<<3))
	return binary.AppendUvarint(b, v)
}

func pbBytes(field int, data []byte) []byte {
	b := binary.AppendUvarint(nil, uint64(field<<3|2))
	b = binary.AppendUvarint(b, uint64(len(data)))
	return append(b, data...)
}

func pbDynamic(field int, v any) []byte { return pbBytes(field, pbBytes(1, mp(v))) }

type key string

func pbPath(field int, steps ...any) []byte {
	var p []byte
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			p = append(p, pbBytes(1, pbBytes(1, []byte(s)))...)
		case key:
			p = append(p, pbBytes(1, pbDynamic(2, string(s)))...)
		default:
			p = append(p, pbBytes(1, pbDynamic(2, s))...)
		}
	}
	return pbBytes(field, p)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestDecodePlan(t *testing.T) {
	after := map[string]any{"id": tfjson.Unknown, "name": "x", "n": 300, "neg": -5, "big": 70000, "f": 2.5, "f32": float32(0.5), "u": uint64(1 << 63),
		"i8": -100, "i64": -1 << 40, "b": true, "nb": false, "z": nil, "long": strings.Repeat("s", 40), "longer": strings.Repeat("s", 300),
		"l": []any{"a", [2]byte{1, 2}}, "many": make([]any, 20), "m": map[string]any{"k": "v"}}
	many := map[string]any{}
	for i := range 20 {
		many[fmt.Sprint("k", i)] = i
	}
	after["bigmap"] = many
	change := concat(
		pbBytes(13, []byte(`aws_lb.x["k"]`)), pbBytes(8, []byte(`provider["registry.terraform.io/hashicorp/aws"]`)),
		pbBytes(10, []byte("private")), pbPath(11, "name"), pbPath(11, "tags", key("Name")), pbPath(11, "list", 3), pbVarint(12, 3),
		pbBytes(9, concat(pbVarint(1, 6), pbDynamic(2, map[string]any{"name": "old"}), pbDynamic(2, after), pbPath(4, "secret"))),
		pbVarint(99, 1), binary.AppendUvarint(nil, 98<<3|1), make([]byte, 8), binary.AppendUvarint(nil, 97<<3|5), make([]byte, 4),
	)
	del := concat(pbBytes(13, []byte("data.aws_region.r")), pbBytes(9, concat(pbVarint(1, 5), pbDynamic(2, nil))))
	noop := concat(pbBytes(13, []byte("aws_vpc.v[2]")), pbBytes(9, pbDynamic(2, map[string]any{"id": "vpc-1"})))
	create := concat(pbBytes(13, []byte("aws_vpc.w")), pbBytes(9, concat(pbVarint(1, 1), pbDynamic(2, map[string]any{"id": tfjson.Unknown}))))
	plan := concat(pbVarint(1, 3), pbBytes(3, change), pbBytes(3, del), pbBytes(3, noop), pbBytes(3, create), pbBytes(14, []byte("1.11.4")))
	changes, err := decodePlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Fatalf("%d changes", len(changes))
	}
	c := changes[0]
	if c.Addr != `aws_lb.x["k"]` || c.Type != "aws_lb" || c.Name != "x" || c.Index != "k" || c.Mode != "managed" || c.Action != "delete-then-create" ||
		c.Reason != "replace_because_cannot_update" || string(c.Private) != "private" || c.Provider != `provider["registry.terraform.io/hashicorp/aws"]` {
		t.Errorf("change %+v", c)
	}
	var paths []string
	for _, p := range c.ReplacePaths {
		paths = append(paths, tfjson.RenderParts(p))
	}
	if fmt.Sprint(paths) != `[name tags["Name"] list[3]]` || tfjson.RenderParts(c.AfterSensitive[0]) != "secret" {
		t.Errorf("paths %v sensitive %v", paths, c.AfterSensitive)
	}
	a := c.After.(map[string]any)
	gotAfter := fmt.Sprint([]any{a["id"] == tfjson.Unknown, a["name"], a["n"], a["neg"], a["big"], a["f"], a["f32"], a["u"], a["i8"], a["i64"], a["b"], a["nb"], a["z"],
		len(a["long"].(string)), len(a["longer"].(string)), a["l"].([]any)[1] == tfjson.Unknown, len(a["many"].([]any)), a["m"], len(a["bigmap"].(map[string]any))})
	if gotAfter != "[true x 300 -5 70000 2.5 0.5 9223372036854775808 -100 -1099511627776 true false <nil> 40 300 true 20 map[k:v] 20]" {
		t.Errorf("after: %s", gotAfter)
	}
	if fmt.Sprint(c.Before) != "map[name:old]" {
		t.Errorf("before %v", c.Before)
	}
	if d := changes[1]; d.Mode != "data" || d.Type != "aws_region" || d.Action != "delete" || d.Before != nil || d.After != nil {
		t.Errorf("delete %+v", d)
	}
	if n := changes[2]; n.Action != "no-op" || n.Index != 2 || fmt.Sprint(n.After) != "map[id:vpc-1]" {
		t.Errorf("no-op %+v", n)
	}
	if c := changes[3]; c.Action != "create" || c.Before != nil || c.After.(map[string]any)["id"] != tfjson.Unknown {
		t.Errorf("create %+v", c)
	}

	// Refusals: another format version, broken bytes, addresses verify does not know.
	if _, err := decodePlan(pbVarint(1, 4)); !errors.Is(err, ErrPlanFormat) {
		t.Errorf("version 4: %v", err)
	}
	bad := map[string][]byte{
		"key":          {0x80},
		"varint":       {0x08, 0x80},
		"length":       {0x1a, 0x05, 0x01},
		"fixed64":      {0x09, 0x01},
		"fixed32":      {0x0d, 0x01},
		"wire":         {0x0b},
		"action":       pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbVarint(1, 42)))),
		"module":       pbBytes(3, pbBytes(13, []byte("module.m"))),
		"module key":   pbBytes(3, pbBytes(13, []byte(`module.m["x.a.b`))),
		"addr":         pbBytes(3, pbBytes(13, []byte("nodot"))),
		"key syntax":   pbBytes(3, pbBytes(13, []byte("a.b[x]"))),
		"msgpack":      pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xc1}))))),
		"short":        pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0x92, 0x01}))))),
		"trailing":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0x01, 0x02}))))),
		"no msgpack":   pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, nil)))),
		"path key":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbPath(11, true))),
		"path number":  pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbPath(11, 2.5))),
		"path msgpack": pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(11, pbBytes(1, pbBytes(2, pbBytes(1, []byte{0xc1})))))),
		"sensitive":    pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(4, pbBytes(1, pbBytes(2, pbBytes(1, []byte{0xc1}))))))),
		"bad step":     pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(11, []byte{0x80}))),
		"big array":    pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xdd, 0x7f, 0xff, 0xff, 0xff}))))),
		"big map":      pbBytes(3, concat(pbBytes(13, []byte("a.b")), pbBytes(9, pbBytes(2, pbBytes(1, []byte{0xdf, 0x7f, 0xff, 0xff, 0xff}))))),
	}
	for name, raw := range bad {
		if _, err := decodePlan(concat(pbVarint(1, 3), raw)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, raw := range [][]byte{{0xd9}, {0xda, 0}, {0xc4}, {0xc7}, {0xcb, 1}, {0xdc}, {0xde}, {0x81, 0xc1}, {0x81, 0x01, 0xc1}, {0x91, 0xc1}, {0xa2, 'x'}} {
		d := &mpDecoder{b: raw}
		if _, err := d.value(); err == nil {
			t.Errorf("msgpack % x: no error", raw)
		}
	}

	// A plan file on disk.
	dir := t.TempDir()
	if _, err := ReadPlanFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing plan file: no error")
	}
	writeZip(t, filepath.Join(dir, "empty.tfplan"), map[string][]byte{"tfstate": nil})
	if _, err := ReadPlanFile(filepath.Join(dir, "empty.tfplan")); !errors.Is(err, ErrPlanFormat) {
		t.Errorf("no tfplan: %v", err)
	}
	writeZip(t, filepath.Join(dir, "ok.tfplan"), map[string][]byte{"tfplan": plan})
	if got, err := ReadPlanFile(filepath.Join(dir, "ok.tfplan")); err != nil || len(got) != 4 {
		t.Errorf("plan file: %d changes, %v", len(got), err)
	}
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	zw := zip.NewWriter(f)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAddresses: resources in modules keep their module instance apart.
func TestAddresses(t *testing.T) {
	for addr, want := range map[string]string{
		"aws_lb.x":                             "| managed aws_lb x <nil>",
		`data.aws_region.r["k"]`:               "| data aws_region r k",
		"module.m.aws_lb.x[2]":                 "module.m | managed aws_lb x 2",
		`module.a["x.y"].module.b[0].data.t.n`: `module.a["x.y"].module.b[0] | data t n <nil>`,
	} {
		c := Change{Addr: addr}
		if err := c.parseAddr(); err != nil {
			t.Errorf("%s: %v", addr, err)
			continue
		}
		if got := fmt.Sprintf("%s | %s %s %s %v", c.Module, c.Mode, c.Type, c.Name, c.Index); strings.TrimSpace(got) != strings.TrimSpace(want) && got != " "+want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
}

func TestReadPlanJSON(t *testing.T) {
	raw := []byte(`{"resource_changes": [
	  {"address": "aws_lb.x", "provider_name": "registry.terraform.io/hashicorp/aws", "action_reason": "replace_because_cannot_update",
	   "change": {"actions": ["delete", "create"], "before": {"name": "a"}, "after": {"name": "b", "arn": null, "l": [1, null], "o": {"k": null}},
	     "after_unknown": {"arn": true, "l": [false, true], "o": {"k": true}}, "after_sensitive": {"secret": true, "l": [false, true], "t": {"k": true}},
	     "replace_paths": [["name"], ["list", 0]]}},
	  {"address": "aws_vpc.v[0]", "provider_name": "p", "change": {"actions": ["create", "delete"], "after": {}}},
	  {"address": "aws_vpc.w", "provider_name": "p", "change": {"actions": ["delete"], "before": {"id": "x"}}},
	  {"address": "aws_vpc.f", "provider_name": "p", "change": {"actions": ["create", "forget"]}},
	  {"address": "aws_vpc.n", "provider_name": "p", "change": {"actions": ["no-op"], "after": {"id": "x"}}}
	]}`)
	changes, err := ReadPlanJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := changes[0]
	a := c.After.(map[string]any)
	if c.Action != "delete-then-create" || a["arn"] != tfjson.Unknown || a["l"].([]any)[1] != tfjson.Unknown || a["o"].(map[string]any)["k"] != tfjson.Unknown || a["name"] != "b" ||
		c.Provider != `provider["registry.terraform.io/hashicorp/aws"]` || c.Reason != "replace_because_cannot_update" {
		t.Errorf("change %+v", c)
	}
	var sens, repl []string
	for _, p := range c.AfterSensitive {
		sens = append(sens, tfjson.RenderParts(p))
	}
	for _, p := range c.ReplacePaths {
		repl = append(repl, tfjson.RenderParts(p))
	}
	if fmt.Sprint(sens) != "[l[1] secret t.k]" || fmt.Sprint(repl) != "[name list[0]]" {
		t.Errorf("sensitive %v replace %v", sens, repl)
	}
	if changes[1].Action != "create-then-delete" || changes[1].Index != 0 || changes[2].Action != "delete" || changes[2].After != nil ||
		changes[3].Action != "create-then-forget" || changes[4].Action != "no-op" {
		t.Errorf("actions %+v", changes[1:])
	}
	for _, bad := range []string{`{`, `{"resource_changes": [{"address": "module.m", "change": {"actions": ["create"]}}]}`,
		`{"resource_changes": [{"address": "a.b", "change": {"actions": []}}]}`} {
		if _, err := ReadPlanJSON([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
