package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
)

// The two dialects' migrations are written by hand, side by side; this test
// is what keeps them describing the same tables. Constraints each dialect
// enforces its own way (PostgreSQL's exclusion constraint and functions,
// SQLite's triggers) are not compared here: the storage tests exercise them.
func TestSchemaIsTheSameOnBothDatabases(t *testing.T) {
	t.Parallel()
	pg := readSchema(t, dbtest.New(t, db.Postgres), readPostgresSchema)
	lite := readSchema(t, dbtest.New(t, db.SQLite), readSQLiteSchema)

	if len(pg) == 0 {
		t.Fatal("the PostgreSQL schema has no tables: did the migrations run?")
	}
	for _, d := range diffSchemas(pg, lite) {
		t.Error(d)
	}
}

// schemaTable is what the comparison sees of a table: the parts that mean the
// same on both databases.
type schemaTable struct {
	columns    map[string]schemaColumn
	primaryKey []string
	// indexes by name; a unique constraint's index, whose name each database
	// makes up, goes by "unique(col, …)".
	indexes map[string]schemaIndex
}

type schemaColumn struct {
	notNull bool
	family  string // the normalised type, see typeFamily
	rawType string // as the database reports it, for messages
}

type schemaIndex struct {
	columns []string // column names or normalised key expressions
	unique  bool
	partial bool
}

func (ix schemaIndex) String() string {
	s := "(" + strings.Join(ix.columns, ", ") + ")"
	if ix.unique {
		s = "unique " + s
	}
	if ix.partial {
		s += " partial"
	}
	return s
}

type schema map[string]*schemaTable

// ignoredTable reports the tables the comparison leaves out: the job queue's
// (its library ships and migrates them per dialect) and the migration tool's
// own bookkeeping, which differ by design.
func ignoredTable(name string) bool {
	return strings.HasPrefix(name, "river_") || name == "goose_db_version" || strings.HasPrefix(name, "sqlite_")
}

func readSchema(t *testing.T, s *db.Store, read func(ctx context.Context, q *sql.DB) (schema, error)) schema {
	t.Helper()
	sqlDB, err := s.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := read(context.Background(), sqlDB)
	if err != nil {
		t.Fatalf("read %s schema: %v", s.Dialect(), err)
	}
	return sc
}

func (sc schema) table(name string) *schemaTable {
	tb, ok := sc[name]
	if !ok {
		tb = &schemaTable{columns: map[string]schemaColumn{}, indexes: map[string]schemaIndex{}}
		sc[name] = tb
	}
	return tb
}

func readPostgresSchema(ctx context.Context, q *sql.DB) (schema, error) {
	sc := schema{}
	rows, err := q.QueryContext(ctx, `
		SELECT c.relname, a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod)
		  FROM pg_attribute a
		  JOIN pg_class c ON c.oid = a.attrelid
		  JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, column, typ string
		var notNull bool
		if err := rows.Scan(&table, &column, &notNull, &typ); err != nil {
			return nil, err
		}
		if ignoredTable(table) {
			continue
		}
		sc.table(table).columns[column] = schemaColumn{notNull: notNull, family: typeFamily(typ), rawType: typ}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// The key columns come back one by one through pg_get_indexdef, which
	// spells an expression key as it would be written (lower(email)) and a
	// plain key as its column name, without any operator class.
	rows, err = q.QueryContext(ctx, `
		SELECT t.relname, i.relname, ix.indisprimary, ix.indisunique, ix.indpred IS NOT NULL,
		       COALESCE(con.contype, ''),
		       (SELECT string_agg(pg_get_indexdef(ix.indexrelid, k, true), '|' ORDER BY k)
		          FROM generate_series(1, ix.indnkeyatts) AS k)
		  FROM pg_index ix
		  JOIN pg_class i ON i.oid = ix.indexrelid
		  JOIN pg_class t ON t.oid = ix.indrelid
		  JOIN pg_namespace n ON n.oid = t.relnamespace
		  LEFT JOIN pg_constraint con
		    ON con.conindid = ix.indexrelid AND con.conrelid = t.oid AND con.contype IN ('p', 'u', 'x')
		 WHERE n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var table, name, contype, keys string
		var primary, unique, partial bool
		if err := rows.Scan(&table, &name, &primary, &unique, &partial, &contype, &keys); err != nil {
			return nil, err
		}
		if ignoredTable(table) {
			continue
		}
		tb := sc.table(table)
		cols := normaliseKeys(strings.Split(keys, "|"))
		switch {
		case primary:
			tb.primaryKey = cols
		case contype == "x":
			// An exclusion constraint has no SQLite counterpart; triggers do its work there.
		case contype == "u":
			tb.indexes[uniqueConstraintName(cols)] = schemaIndex{columns: cols, unique: true, partial: partial}
		default:
			tb.indexes[name] = schemaIndex{columns: cols, unique: unique, partial: partial}
		}
	}
	return sc, rows.Err()
}

func readSQLiteSchema(ctx context.Context, q *sql.DB) (schema, error) {
	sc := schema{}
	var tables []string
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		if !ignoredTable(name) {
			tables = append(tables, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	for _, table := range tables {
		tb := sc.table(table)
		if err := readSQLiteColumns(ctx, q, table, tb); err != nil {
			return nil, err
		}
		if err := readSQLiteIndexes(ctx, q, table, tb); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

func readSQLiteColumns(ctx context.Context, q *sql.DB, table string, tb *schemaTable) error {
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, table)
	if err != nil {
		return err
	}
	defer rows.Close()
	type pkCol struct {
		name string
		seq  int
	}
	var pk []pkCol
	for rows.Next() {
		var name, typ string
		var notNull bool
		var pkSeq int
		if err := rows.Scan(&name, &typ, &notNull, &pkSeq); err != nil {
			return err
		}
		if pkSeq > 0 {
			pk = append(pk, pkCol{name, pkSeq})
			// SQLite keeps a historical quirk: a primary key column other
			// than INTEGER accepts NULL unless declared NOT NULL. No write
			// here leaves a key empty, and making SQLite refuse it would
			// mean rebuilding every table, so the key counts as NOT NULL as
			// it does on PostgreSQL.
			notNull = true
		}
		tb.columns[name] = schemaColumn{notNull: notNull, family: typeFamily(typ), rawType: typ}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(pk, func(i, j int) bool { return pk[i].seq < pk[j].seq })
	for _, c := range pk {
		tb.primaryKey = append(tb.primaryKey, c.name)
	}
	return nil
}

func readSQLiteIndexes(ctx context.Context, q *sql.DB, table string, tb *schemaTable) error {
	type listed struct {
		name            string
		unique, partial bool
		origin          string
	}
	rows, err := q.QueryContext(ctx, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, table)
	if err != nil {
		return err
	}
	var list []listed
	for rows.Next() {
		var l listed
		if err := rows.Scan(&l.name, &l.unique, &l.origin, &l.partial); err != nil {
			rows.Close()
			return err
		}
		list = append(list, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, l := range list {
		if l.origin == "pk" {
			continue // read from the columns: an INTEGER key has no index at all
		}
		cols, err := sqliteIndexKeys(ctx, q, l.name)
		if err != nil {
			return fmt.Errorf("index %s: %w", l.name, err)
		}
		name := l.name
		if l.origin == "u" {
			name = uniqueConstraintName(cols)
		}
		tb.indexes[name] = schemaIndex{columns: cols, unique: l.unique, partial: l.partial}
	}
	return nil
}

// sqliteIndexKeys returns an index's keys. SQLite reports an expression key
// only as "not a column", so those are read back from the CREATE INDEX text.
func sqliteIndexKeys(ctx context.Context, q *sql.DB, index string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT cid, name FROM pragma_index_info(?) ORDER BY seqno`, index)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	hasExpr := false
	for rows.Next() {
		var cid int
		var name sql.NullString
		if err := rows.Scan(&cid, &name); err != nil {
			return nil, err
		}
		if cid < 0 {
			hasExpr = true
		}
		cols = append(cols, name.String)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !hasExpr {
		return normaliseKeys(cols), nil
	}
	var create string
	if err := q.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, index).Scan(&create); err != nil {
		return nil, err
	}
	keys, err := createIndexKeys(create)
	if err != nil {
		return nil, err
	}
	return normaliseKeys(keys), nil
}

// createIndexKeys splits the key list of "CREATE INDEX … ON t (a, f(b, c)) …"
// at its top-level commas.
func createIndexKeys(create string) ([]string, error) {
	on := strings.Index(strings.ToUpper(create), " ON ")
	if on < 0 {
		return nil, fmt.Errorf("no ON in %q", create)
	}
	open := strings.Index(create[on:], "(")
	if open < 0 {
		return nil, fmt.Errorf("no key list in %q", create)
	}
	var keys []string
	depth, start := 0, on+open+1
	for i := start; i < len(create); i++ {
		switch create[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return append(keys, create[start:i]), nil
			}
			depth--
		case ',':
			if depth == 0 {
				keys = append(keys, create[start:i])
				start = i + 1
			}
		}
	}
	return nil, fmt.Errorf("unbalanced key list in %q", create)
}

// normaliseKeys makes key spellings comparable: lower case, no spaces, no
// quotes.
func normaliseKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		k = strings.ToLower(strings.TrimSpace(k))
		k = strings.NewReplacer(" ", "", "\t", "", "\n", "", `"`, "").Replace(k)
		out[i] = k
	}
	return out
}

func uniqueConstraintName(cols []string) string {
	return "unique(" + strings.Join(cols, ", ") + ")"
}

// typeFamily maps a declared type to what the Go code reads it as. JSON is
// text: SQLite has no JSON type, and a column declared JSON there would take
// numeric affinity and turn "1" into 1.
func typeFamily(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	switch {
	case t == "text" || t == "json" || t == "jsonb" || strings.HasPrefix(t, "character varying") || strings.HasPrefix(t, "varchar"):
		return "text"
	case t == "integer" || t == "bigint" || t == "smallint" || t == "int":
		return "integer"
	case t == "boolean":
		return "boolean"
	case strings.HasPrefix(t, "timestamp") || t == "datetime":
		return "timestamp"
	case t == "real" || t == "double precision":
		return "real"
	case t == "bytea" || t == "blob":
		return "blob"
	}
	return "unknown type " + declared
}

// diffSchemas lists, readably and in a stable order, every way the SQLite
// schema departs from the PostgreSQL one.
func diffSchemas(pg, lite schema) []string {
	var out []string
	for _, name := range unionKeys(pg, lite) {
		p, l := pg[name], lite[name]
		switch {
		case l == nil:
			out = append(out, fmt.Sprintf("table %s: only on PostgreSQL", name))
			continue
		case p == nil:
			out = append(out, fmt.Sprintf("table %s: only on SQLite", name))
			continue
		}
		for _, col := range unionKeys(p.columns, l.columns) {
			pc, inP := p.columns[col]
			lc, inL := l.columns[col]
			switch {
			case !inL:
				out = append(out, fmt.Sprintf("%s.%s: only on PostgreSQL (%s)", name, col, pc.rawType))
			case !inP:
				out = append(out, fmt.Sprintf("%s.%s: only on SQLite (%s)", name, col, lc.rawType))
			default:
				if pc.notNull != lc.notNull {
					out = append(out, fmt.Sprintf("%s.%s: %s on PostgreSQL but %s on SQLite", name, col, nullWord(pc.notNull), nullWord(lc.notNull)))
				}
				if pc.family != lc.family {
					out = append(out, fmt.Sprintf("%s.%s: %s (%s) on PostgreSQL but %s (%s) on SQLite", name, col, pc.family, pc.rawType, lc.family, lc.rawType))
				}
			}
		}
		if !slices.Equal(p.primaryKey, l.primaryKey) {
			out = append(out, fmt.Sprintf("%s: primary key (%s) on PostgreSQL but (%s) on SQLite", name, strings.Join(p.primaryKey, ", "), strings.Join(l.primaryKey, ", ")))
		}
		for _, ix := range unionKeys(p.indexes, l.indexes) {
			pi, inP := p.indexes[ix]
			li, inL := l.indexes[ix]
			switch {
			case !inL:
				out = append(out, fmt.Sprintf("%s: index %s %s only on PostgreSQL", name, ix, pi))
			case !inP:
				out = append(out, fmt.Sprintf("%s: index %s %s only on SQLite", name, ix, li))
			case !slices.Equal(pi.columns, li.columns) || pi.unique != li.unique || pi.partial != li.partial:
				out = append(out, fmt.Sprintf("%s: index %s is %s on PostgreSQL but %s on SQLite", name, ix, pi, li))
			}
		}
	}
	return out
}

func nullWord(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "NULL"
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The comparison must see each kind of drift, or the test above passes by
// seeing nothing.
func TestSchemaDiffReportsEachKindOfDrift(t *testing.T) {
	t.Parallel()
	base := func() schema {
		return schema{"shifts": {
			columns: map[string]schemaColumn{
				"id":        {notNull: true, family: "text", rawType: "text"},
				"starts_at": {notNull: true, family: "timestamp", rawType: "timestamptz"},
			},
			primaryKey: []string{"id"},
			indexes:    map[string]schemaIndex{"shifts_starts_at": {columns: []string{"starts_at"}}},
		}}
	}
	tests := []struct {
		name   string
		change func(lite schema)
		want   string
	}{
		{"a table missing on SQLite", func(lite schema) { delete(lite, "shifts") }, "table shifts: only on PostgreSQL"},
		{"a column added on SQLite only", func(lite schema) {
			lite["shifts"].columns["extra"] = schemaColumn{family: "text", rawType: "TEXT"}
		}, "shifts.extra: only on SQLite (TEXT)"},
		{"a column nullable on SQLite", func(lite schema) {
			lite["shifts"].columns["starts_at"] = schemaColumn{family: "timestamp", rawType: "DATETIME"}
		}, "shifts.starts_at: NOT NULL on PostgreSQL but NULL on SQLite"},
		{"a column of another type family", func(lite schema) {
			lite["shifts"].columns["starts_at"] = schemaColumn{notNull: true, family: "text", rawType: "TEXT"}
		}, "shifts.starts_at: timestamp (timestamptz) on PostgreSQL but text (TEXT) on SQLite"},
		{"another primary key", func(lite schema) { lite["shifts"].primaryKey = []string{"starts_at"} },
			"shifts: primary key (id) on PostgreSQL but (starts_at) on SQLite"},
		{"an index missing on SQLite", func(lite schema) { delete(lite["shifts"].indexes, "shifts_starts_at") },
			"shifts: index shifts_starts_at (starts_at) only on PostgreSQL"},
		{"an index unique and partial on SQLite", func(lite schema) {
			lite["shifts"].indexes["shifts_starts_at"] = schemaIndex{columns: []string{"starts_at"}, unique: true, partial: true}
		}, "shifts: index shifts_starts_at is (starts_at) on PostgreSQL but unique (starts_at) partial on SQLite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lite := base()
			tt.change(lite)
			got := diffSchemas(base(), lite)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("diff = %q, want [%q]", got, tt.want)
			}
		})
	}
	if got := diffSchemas(base(), base()); len(got) != 0 {
		t.Errorf("identical schemas differ: %q", got)
	}
}

func TestSchemaReadsExpressionKeysFromCreateIndex(t *testing.T) {
	t.Parallel()
	got, err := createIndexKeys(`CREATE INDEX login_attempts_email_at ON login_attempts (lower(email), at)`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lower(email)", "at"}; !slices.Equal(normaliseKeys(got), want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
}
