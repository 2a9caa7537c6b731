package engine

import (
	"github.com/tapstack/infra/internal/tfjson"

	"archive/zip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// This file reads a saved plan without starting the engine again: `terraform show -json`
// loads the provider schema (about 3.5 s of CPU for hashicorp/aws), while the plan file's
// own content (a zip holding the protobuf "tfplan" whose values are msgpack) decodes in
// milliseconds. Only the fields verify needs are read; a plan of another format version is
// refused (ErrPlanFormat) and the caller falls back to `show -json`.

// Change is one resource instance change of a plan, from either reader (ReadPlanFile,
// ReadPlanJSON).
type Change struct {
	// Addr is the instance address: aws_lb.x, aws_vpc.v[0], data.aws_region.r,
	// module.m.aws_lb.x.
	Addr string
	// Module is the module instance of a resource in a module ("module.m",
	// `module.a.module.b["k"]`), "" in the root module.
	Module string
	// Mode is "managed" or "data".
	Mode string
	// Type, Name and Index are the parts of the resource address; Index is nil, an int or
	// a string.
	Type, Name string
	Index      any
	// Provider is the provider configuration address: provider["registry.terraform.io/hashicorp/aws"].west.
	Provider string
	// Deposed is the key of a deposed object, or "".
	Deposed string
	// Action is create, update, delete-then-create, create-then-delete, delete, no-op,
	// read, forget or create-then-forget.
	Action string
	// Before and After are the values, decoded as JSON-like values: After holds
	// tfjson.Unknown markers, and the raw decoding (numbers as json.Number, dynamic
	// values as [type, value]) until a caller normalizes it with the schema.
	Before, After any
	// AfterSensitive are the paths of After marked sensitive.
	AfterSensitive [][]tfjson.Part
	// Private is the provider's private data of the planned object.
	Private []byte
	// ReplacePaths are the paths of the attributes that force a replacement.
	ReplacePaths [][]tfjson.Part
	// Reason is the engine's reason for the action ("replace_because_cannot_update"), or "".
	Reason string
}

// planFormat is the tfplan format version this reader understands (Terraform 1.x).
const planFormat = 3

// ErrPlanFormat is the error of ReadPlanFile for a plan file of a format version it does
// not read (another engine, a future Terraform): read it with `show -json` instead.
var ErrPlanFormat = errors.New("unsupported plan file format")

var protoActions = map[uint64]string{0: "no-op", 1: "create", 2: "read", 3: "update", 5: "delete",
	6: "delete-then-create", 7: "create-then-delete", 8: "forget", 9: "create-then-forget"}

var protoReasons = map[uint64]string{0: "", 1: "replace_because_tainted", 2: "replace_by_request",
	3: "replace_because_cannot_update", 4: "delete_because_no_resource_config",
	5: "delete_because_wrong_repetition", 6: "delete_because_count_index", 7: "delete_because_each_key",
	8: "delete_because_no_module", 9: "replace_by_triggers", 10: "read_because_config_unknown",
	11: "read_because_dependency_pending", 12: "delete_because_no_move_target", 13: "read_because_check_nested"}

// ReadPlanFile decodes the resource changes of a saved plan.
func ReadPlanFile(path string) ([]Change, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		if f.Name != "tfplan" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		raw, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return nil, err
		}
		return decodePlan(raw)
	}
	return nil, fmt.Errorf("%w: no tfplan in %s", ErrPlanFormat, path)
}

func decodePlan(raw []byte) ([]Change, error) {
	var changes []Change
	version := uint64(0)
	err := protoFields(raw, func(field int, v uint64, b []byte) error {
		switch field {
		case 1:
			version = v
		case 3:
			c, err := decodeResourceChange(b)
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPlanFormat, err)
	}
	if version != planFormat {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrPlanFormat, version, planFormat)
	}
	return changes, nil
}

func decodeResourceChange(raw []byte) (Change, error) {
	var c Change
	var values []any
	err := protoFields(raw, func(field int, v uint64, b []byte) error {
		switch field {
		case 13:
			c.Addr = string(b)
		case 7:
			c.Deposed = string(b)
		case 8:
			c.Provider = string(b)
		case 10:
			c.Private = append([]byte(nil), b...)
		case 11:
			p, err := decodePath(b)
			if err != nil {
				return err
			}
			c.ReplacePaths = append(c.ReplacePaths, p)
		case 12:
			c.Reason = protoReasons[v]
		case 9:
			return protoFields(b, func(field int, v uint64, b []byte) error {
				switch field {
				case 1:
					a, ok := protoActions[v]
					if !ok {
						return fmt.Errorf("tfjson.Unknown action %d", v)
					}
					c.Action = a
				case 2:
					val, err := decodeDynamic(b)
					if err != nil {
						return err
					}
					values = append(values, val)
				case 4:
					p, err := decodePath(b)
					if err != nil {
						return err
					}
					c.AfterSensitive = append(c.AfterSensitive, p)
				}
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	if c.Action == "" {
		c.Action = "no-op"
	}
	switch {
	case len(values) == 2:
		c.Before, c.After = values[0], values[1]
	case len(values) == 1 && (c.Action == "delete" || c.Action == "no-op" || c.Action == "forget"):
		c.Before = values[0]
		if c.Action == "no-op" {
			c.After = values[0]
		}
	case len(values) == 1:
		c.After = values[0]
	}
	if err := c.parseAddr(); err != nil {
		return c, err
	}
	return c, nil
}

// parseAddr fills mode, type, name and index from addr.
func (c *Change) parseAddr() error {
	a := c.Addr
	c.Mode = "managed"
	for strings.HasPrefix(a, "module.") {
		end := len("module.")
		for end < len(a) && a[end] != '.' && a[end] != '[' {
			end++
		}
		if end < len(a) && a[end] == '[' {
			close := strings.Index(a[end:], "]")
			if strings.HasPrefix(a[end:], `["`) {
				close = strings.Index(a[end:], `"]`) + 1
			}
			if close <= 0 {
				return fmt.Errorf("bad resource address %q", c.Addr)
			}
			end += close + 1
		}
		if end >= len(a) || a[end] != '.' {
			return fmt.Errorf("bad resource address %q", c.Addr)
		}
		if c.Module != "" {
			c.Module += "."
		}
		c.Module += a[:end]
		a = a[end+1:]
	}
	if rest, ok := strings.CutPrefix(a, "data."); ok {
		c.Mode, a = "data", rest
	}
	typ, rest, ok := strings.Cut(a, ".")
	if !ok {
		return fmt.Errorf("bad resource address %q", c.Addr)
	}
	name, key, hasKey := strings.Cut(rest, "[")
	c.Type, c.Name = typ, name
	if hasKey {
		key = strings.TrimSuffix(key, "]")
		if n, err := strconv.Atoi(key); err == nil {
			c.Index = n
		} else if s, err := strconv.Unquote(key); err == nil {
			c.Index = s
		} else {
			return fmt.Errorf("bad resource address %q", c.Addr)
		}
	}
	return nil
}

func decodeDynamic(raw []byte) (any, error) {
	var mp []byte
	err := protoFields(raw, func(field int, _ uint64, b []byte) error {
		if field == 1 {
			mp = b
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if mp == nil {
		return nil, errors.New("dynamic value without msgpack")
	}
	d := &mpDecoder{b: mp}
	v, err := d.value()
	if err == nil && d.i != len(mp) {
		err = fmt.Errorf("%d trailing msgpack bytes", len(mp)-d.i)
	}
	return v, err
}

func decodePath(raw []byte) ([]tfjson.Part, error) {
	var p []tfjson.Part
	err := protoFields(raw, func(field int, _ uint64, b []byte) error {
		if field != 1 {
			return nil
		}
		return protoFields(b, func(field int, _ uint64, b []byte) error {
			switch field {
			case 1:
				p = append(p, tfjson.Part{Name: string(b)})
			case 2:
				k, err := decodeDynamic(b)
				if err != nil {
					return err
				}
				switch k := k.(type) {
				case json.Number:
					n, err := k.Int64()
					if err != nil {
						return err
					}
					p = append(p, tfjson.Part{Key: int(n)})
				case string:
					p = append(p, tfjson.Part{Key: k})
				default:
					return fmt.Errorf("path key %T", k)
				}
			}
			return nil
		})
	})
	return p, err
}

// protoFields calls fn for every field of a protobuf message: varint fields with their
// value, length-delimited fields with their bytes. Fixed-width fields are skipped.
func protoFields(b []byte, fn func(field int, v uint64, bytes []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad protobuf key")
		}
		b = b[n:]
		field, wire := int(key>>3), key&7
		switch wire {
		case 0:
			v, n := binary.Uvarint(b)
			if n <= 0 {
				return errors.New("bad protobuf varint")
			}
			b = b[n:]
			if err := fn(field, v, nil); err != nil {
				return err
			}
		case 1:
			if len(b) < 8 {
				return errors.New("short protobuf fixed64")
			}
			b = b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errors.New("bad protobuf length")
			}
			if err := fn(field, 0, b[n:n+int(l)]); err != nil {
				return err
			}
			b = b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errors.New("short protobuf fixed32")
			}
			b = b[4:]
		default:
			return fmt.Errorf("protobuf wire type %d", wire)
		}
	}
	return nil
}

// mpDecoder decodes the msgpack encoding of cty values: nil, bool, numbers (json.Number),
// strings, bin ([]byte, the type of a dynamic value), arrays, maps, and extensions (the
// tfjson.Unknown value, refined or not).
type mpDecoder struct {
	b []byte
	i int
}

var errShort = errors.New("short msgpack value")

func (d *mpDecoder) take(n int) ([]byte, error) {
	if n < 0 || d.i+n > len(d.b) {
		return nil, errShort
	}
	s := d.b[d.i : d.i+n]
	d.i += n
	return s, nil
}

func (d *mpDecoder) uint(n int) (uint64, error) {
	s, err := d.take(n)
	if err != nil {
		return 0, err
	}
	var v uint64
	for _, c := range s {
		v = v<<8 | uint64(c)
	}
	return v, nil
}

func (d *mpDecoder) value() (any, error) {
	s, err := d.take(1)
	if err != nil {
		return nil, err
	}
	c := s[0]
	switch {
	case c <= 0x7f:
		return json.Number(strconv.Itoa(int(c))), nil
	case c >= 0xe0:
		return json.Number(strconv.Itoa(int(int8(c)))), nil
	case c >= 0xa0 && c <= 0xbf:
		return d.str(int(c & 0x1f))
	case c >= 0x90 && c <= 0x9f:
		return d.array(int(c & 0x0f))
	case c >= 0x80 && c <= 0x8f:
		return d.mapping(int(c & 0x0f))
	}
	switch c {
	case 0xc0:
		return nil, nil
	case 0xc2:
		return false, nil
	case 0xc3:
		return true, nil
	case 0xc4, 0xc5, 0xc6:
		n, err := d.uint(1 << (c - 0xc4))
		if err != nil {
			return nil, err
		}
		b, err := d.take(int(n))
		return append([]byte(nil), b...), err
	case 0xc7, 0xc8, 0xc9: // ext 8/16/32
		n, err := d.uint(1 << (c - 0xc7))
		if err != nil {
			return nil, err
		}
		_, err = d.take(int(n) + 1)
		return tfjson.Unknown, err
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1..16
		_, err := d.take(1 + 1<<(c-0xd4))
		return tfjson.Unknown, err
	case 0xca:
		v, err := d.uint(4)
		return floatNumber(float64(math.Float32frombits(uint32(v)))), err
	case 0xcb:
		v, err := d.uint(8)
		return floatNumber(math.Float64frombits(v)), err
	case 0xcc, 0xcd, 0xce, 0xcf:
		v, err := d.uint(1 << (c - 0xcc))
		return json.Number(strconv.FormatUint(v, 10)), err
	case 0xd0, 0xd1, 0xd2, 0xd3:
		size := 1 << (c - 0xd0)
		v, err := d.uint(size)
		shift := 64 - 8*size
		return json.Number(strconv.FormatInt(int64(v<<shift)>>shift, 10)), err
	case 0xd9, 0xda, 0xdb:
		n, err := d.uint(1 << (c - 0xd9))
		if err != nil {
			return nil, err
		}
		return d.str(int(n))
	case 0xdc, 0xdd:
		n, err := d.uint(2 << (c - 0xdc))
		if err != nil {
			return nil, err
		}
		return d.array(int(n))
	case 0xde, 0xdf:
		n, err := d.uint(2 << (c - 0xde))
		if err != nil {
			return nil, err
		}
		return d.mapping(int(n))
	}
	return nil, fmt.Errorf("msgpack type 0x%02x", c)
}

func floatNumber(f float64) any {
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

func (d *mpDecoder) str(n int) (any, error) {
	b, err := d.take(n)
	return string(b), err
}

func (d *mpDecoder) array(n int) (any, error) {
	if n > len(d.b) {
		return nil, errShort
	}
	out := make([]any, n)
	for i := range out {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (d *mpDecoder) mapping(n int) (any, error) {
	if n > len(d.b) {
		return nil, errShort
	}
	out := make(map[string]any, n)
	for range n {
		k, err := d.value()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		out[fmt.Sprint(k)] = v
	}
	return out, nil
}
