package web

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/copbank/copbank/domain"
)

// enumValues are the values of the domain's named string types.
var enumValues = map[reflect.Type][]string{
	reflect.TypeOf(domain.Kind("")):              {string(domain.KindVolunteer), string(domain.KindBankOfficer), string(domain.KindMentor)},
	reflect.TypeOf(domain.AreaKind("")):          {string(domain.AreaForce), string(domain.AreaLocalAuthority), string(domain.AreaHub), string(domain.AreaNeighbourhood)},
	reflect.TypeOf(domain.MemberStatus("")):      {string(domain.MemberActive), string(domain.MemberSuspended), string(domain.MemberArchived)},
	reflect.TypeOf(domain.ClearanceType("")):     {string(domain.NPPV1), string(domain.NPPV2), string(domain.NPPV3), string(domain.DBSEnhancedChildren), string(domain.DBSEnhancedAdults), string(domain.Conditional)},
	reflect.TypeOf(domain.ClearanceStatus("")):   {string(domain.ClearanceActive), string(domain.ClearanceSuspended)},
	reflect.TypeOf(domain.Role("")):              {string(domain.RoleAdmin), string(domain.RoleCoordinator), string(domain.RoleMember)},
	reflect.TypeOf(domain.Stage("")):             stageNames(),
	reflect.TypeOf(domain.OpportunityStatus("")): {string(domain.OpportunityDraft), string(domain.OpportunityOpen), string(domain.OpportunityClosed)},
}

type schemaKey struct {
	t     reflect.Type
	input bool
}

type schemaGen struct {
	components map[string]map[string]any
	names      map[schemaKey]string
	owners     map[string]schemaKey
}

func newSchemaGen() *schemaGen {
	return &schemaGen{components: map[string]map[string]any{}, names: map[schemaKey]string{}, owners: map[string]schemaKey{}}
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// anyValue is the schema of a value that may be any JSON, null included
// (an audit entry's before and after, the rows of a subject access export).
func anyValue() map[string]any {
	return map[string]any{"nullable": true, "description": "any JSON value"}
}

// schema is the schema of t; named structs become components. input says
// the type is read from a request (validate tags give required; unknown
// fields are refused) rather than written (fields without omitempty are
// always present).
func (g *schemaGen) schema(t reflect.Type, input bool) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t == rawType {
		return anyValue()
	}
	if vals, ok := enumValues[t]; ok {
		return map[string]any{"type": "string", "enum": vals}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(g.schema(t.Elem(), input))
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem(), input)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem(), input)}
	case reflect.Interface:
		return anyValue()
	case reflect.Struct:
		// clearable[T] reads T or null.
		if strings.HasPrefix(t.Name(), "clearable[") {
			if f, ok := t.FieldByName("value"); ok {
				return g.schema(f.Type, input)
			}
		}
		if t.Name() == "" {
			return g.object(t, input)
		}
		return g.ref(t, input)
	}
	return map[string]any{}
}

func (g *schemaGen) ref(t reflect.Type, input bool) map[string]any {
	key := schemaKey{t, input}
	name, ok := g.names[key]
	if !ok {
		name = componentName(t)
		if input {
			if other, taken := g.owners[name]; taken && other.t == t {
				name += "Input"
			}
		}
		base := name
		for i := 2; ; i++ {
			if _, taken := g.owners[name]; !taken {
				break
			}
			name = base + strconv.Itoa(i)
		}
		g.names[key], g.owners[name] = name, key
		g.components[name] = map[string]any{} // placeholder for recursive types
		obj := g.object(t, input)
		g.components[name] = obj
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// componentName: demandJSON → Demand, page[…shiftJSON] → ShiftPage.
func componentName(t reflect.Type) string {
	name := t.Name()
	if base, arg, ok := strings.Cut(name, "["); ok {
		arg = strings.TrimSuffix(arg, "]")
		if i := strings.LastIndex(arg, "."); i >= 0 {
			arg = arg[i+1:]
		}
		return cleanName(arg) + cleanName(base)
	}
	return cleanName(name)
}

func cleanName(n string) string {
	if s := strings.TrimSuffix(n, "JSON"); s != "" {
		n = s
	}
	if n == "" {
		return "Anonymous"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}

func (g *schemaGen) object(t reflect.Type, input bool) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, input, props, &required)
	obj := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		obj["required"] = required
	}
	if input {
		obj["additionalProperties"] = false
	}
	return obj
}

func (g *schemaGen) fields(t reflect.Type, input bool, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, input, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.schema(ft, input)
		addFormat(s, ft, name)
		req := applyValidate(s, ft, f.Tag.Get("validate"))
		if input && req || !input && !strings.Contains(","+opts+",", ",omitempty,") {
			*required = append(*required, name)
		}
		props[name] = s
	}
}

// Formats of string fields by their JSON name: the DTOs carry instants as
// RFC 3339 strings, wall times as YYYY-MM-DDTHH:MM and dates as YYYY-MM-DD.
var (
	dateTimeFields = map[string]bool{"created_at": true, "updated_at": true, "start": true, "end": true,
		"cancelled_at": true, "actual_start": true, "actual_end": true, "expires_at": true}
	dateFields      = map[string]bool{"obtained_on": true, "expires_on": true, "granted_on": true, "until": true}
	wallTimeFields  = map[string]bool{"start_local": true, "end_local": true, "exdates": true}
	wallTimePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$`
)

func addFormat(s map[string]any, t reflect.Type, name string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	target := s
	if t.Kind() == reflect.Slice {
		items, _ := s["items"].(map[string]any)
		if items == nil {
			return
		}
		target, t = items, t.Elem()
	}
	if t.Kind() != reflect.String || t == timeType {
		return
	}
	switch {
	case dateTimeFields[name]:
		target["format"] = "date-time"
	case dateFields[name]:
		target["format"] = "date"
	case wallTimeFields[name]:
		target["pattern"] = wallTimePattern
		target["description"] = "a wall time YYYY-MM-DDTHH:MM in the timezone given"
	}
}

// applyValidate turns validate rules into schema keywords on s (rules after
// dive apply to the items) and reports "required".
func applyValidate(s map[string]any, t reflect.Type, tag string) bool {
	if tag == "" {
		return false
	}
	required, dived := false, false
	target, tt := s, t
	for _, rule := range strings.Split(tag, ",") {
		name, param, _ := strings.Cut(rule, "=")
		for tt.Kind() == reflect.Pointer {
			tt = tt.Elem()
		}
		switch name {
		case "required":
			required = required || !dived
		case "dive":
			if tt.Kind() != reflect.Slice && tt.Kind() != reflect.Array {
				return required
			}
			items, _ := target["items"].(map[string]any)
			if items == nil {
				return required
			}
			target, tt, dived = items, tt.Elem(), true
		case "max", "min", "len", "gte", "lte", "gt", "lt":
			setBound(target, tt, name, param)
		case "oneof":
			var vals []any
			for _, v := range strings.Fields(param) {
				if n, err := strconv.ParseFloat(v, 64); err == nil && tt.Kind() != reflect.String {
					vals = append(vals, n)
				} else {
					vals = append(vals, v)
				}
			}
			put(target, "enum", vals)
		case "email":
			put(target, "format", "email")
		case "latitude":
			put(target, "minimum", -90)
			put(target, "maximum", 90)
		case "longitude":
			put(target, "minimum", -180)
			put(target, "maximum", 180)
		}
	}
	return required
}

func setBound(s map[string]any, t reflect.Type, rule, param string) {
	n, err := strconv.ParseFloat(param, 64)
	if err != nil {
		return
	}
	var lo, hi string
	switch t.Kind() {
	case reflect.String:
		lo, hi = "minLength", "maxLength"
	case reflect.Slice, reflect.Array:
		lo, hi = "minItems", "maxItems"
	case reflect.Map:
		lo, hi = "minProperties", "maxProperties"
	default:
		lo, hi = "minimum", "maximum"
	}
	isNumber := lo == "minimum"
	switch rule {
	case "min", "gte":
		put(s, lo, n)
	case "max", "lte":
		put(s, hi, n)
	case "len":
		put(s, lo, n)
		put(s, hi, n)
	case "gt":
		if isNumber {
			put(s, lo, n)
			put(s, "exclusiveMinimum", true)
		} else {
			put(s, lo, n+1)
		}
	case "lt":
		if isNumber {
			put(s, hi, n)
			put(s, "exclusiveMaximum", true)
		} else {
			put(s, hi, n-1)
		}
	}
}

// put sets a keyword; beside a $ref (where OpenAPI 3.0 ignores siblings) the
// ref moves into allOf first.
func put(s map[string]any, k string, v any) {
	if ref, ok := s["$ref"]; ok {
		delete(s, "$ref")
		s["allOf"] = []any{map[string]any{"$ref": ref}}
	}
	s[k] = v
}

func nullable(s map[string]any) map[string]any {
	if ref, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{map[string]any{"$ref": ref}}, "nullable": true}
	}
	out := make(map[string]any, len(s)+1)
	for k, v := range s {
		out[k] = v
	}
	out["nullable"] = true
	return out
}
