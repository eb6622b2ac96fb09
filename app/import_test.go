package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/copbank/copbank/app"
	"github.com/copbank/copbank/db"
	"github.com/copbank/copbank/db/dbtest"
	"github.com/copbank/copbank/domain"
)

func importFile(t *testing.T, w *refWorld, name string) (app.ImportReport, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return w.app.ImportMembers(context.Background(), app.CommandLineOperator(), f)
}

func wantCounts(t *testing.T, r app.ImportReport, err error, created, updated, unchanged int) {
	t.Helper()
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if r.Created != created || r.Updated != updated || r.Unchanged != unchanged {
		t.Fatalf("created %d updated %d unchanged %d, want %d %d %d", r.Created, r.Updated, r.Unchanged, created, updated, unchanged)
	}
}

func countMembers(t *testing.T, s *db.Store) int {
	t.Helper()
	ms, err := s.Members(context.Background(), domain.MemberFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestImportingTheSameFileTwiceChangesNothingTheSecondTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		r, err := importFile(t, w, "members.csv")
		wantCounts(t, r, err, 3, 0, 0)

		alex, err := s.MemberByEmail(ctx, "alex@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if alex.MaxHoursPerWeek != 48 || alex.MinRestHours != 11 || alex.TravelKm != 10 || alex.HomeAreaCode != "DARL" {
			t.Fatalf("a bank officer and mentor takes the bank officer's defaults: %+v", alex)
		}
		d, err := w.app.Member(ctx, w.admin, alex.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Skills) != 2 || d.Skills[0].Code != "first_aid" || d.Skills[0].ExpiresOn == nil || d.Skills[0].ExpiresOn.String() != "2030-01-04" ||
			d.Skills[1].ExpiresOn != nil || len(d.Clearances) != 1 || d.Clearances[0].Type != domain.NPPV2 {
			t.Fatalf("Alex's skills %+v and clearances %+v", d.Skills, d.Clearances)
		}
		sam, err := w.app.Member(ctx, w.admin, mustID(t, s, "sam@example.org"))
		if err != nil || sam.Skills[0].ExpiresOn.String() != "2029-01-10" || *sam.Lat != 54.53 || sam.Phone != "07700 900001" {
			t.Fatalf("Sam: %+v %v", sam, err)
		}

		r, err = importFile(t, w, "members.csv")
		wantCounts(t, r, err, 0, 0, 3)
		again, _ := w.app.Member(ctx, w.admin, alex.ID)
		if !again.UpdatedAt.Equal(d.UpdatedAt) || len(again.Clearances) != 1 || len(again.Skills) != 2 {
			t.Fatalf("an unchanged import touched Alex: %+v", again)
		}
	})
}

func mustID(t *testing.T, s *db.Store, email string) string {
	t.Helper()
	m, err := s.MemberByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func TestImportingAnExistingEmailUpdatesThatMember(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		ctx := context.Background()
		r, err := importFile(t, w, "members.csv")
		wantCounts(t, r, err, 3, 0, 0)
		r, err = importFile(t, w, "members-updated.csv")
		wantCounts(t, r, err, 1, 2, 1)

		alex, err := s.MemberByEmail(ctx, "alex@example.org")
		if err != nil || alex.Phone != "07700 900002" || alex.MaxHoursPerWeek != 40 {
			t.Fatalf("Alex after the update: %+v %v", alex, err)
		}
		jo, err := w.app.Member(ctx, w.admin, mustID(t, s, "jo@example.org"))
		if err != nil || len(jo.Clearances) != 1 || jo.Clearances[0].ExpiresOn.String() != "2030-01-01" {
			t.Fatalf("Jo's new clearance: %+v %v", jo.Clearances, err)
		}
		r, err = importFile(t, w, "members-updated.csv")
		wantCounts(t, r, err, 0, 0, 4)
	})
}

func TestAnImportWithBadRowsNamesEveryRowAndFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		for _, tc := range []struct {
			file string
			want []string
		}{
			{"members-bad.csv", []string{"row 3: email", "row 3: kinds[1]", "row 3: clearance_expires_on", "row 4: lat"}},
			{"members-unknown.csv", []string{"row 2: home_area", "row 3: skills[0]", "row 4: email", "row 5: max_hours_per_week"}},
		} {
			t.Run(tc.file, func(t *testing.T) {
				r, err := importFile(t, w, tc.file)
				if domain.ErrorCode(err) != domain.EInvalid {
					t.Fatalf("got %v, want invalid", err)
				}
				var got []string
				for _, e := range r.Errors {
					got = append(got, e.Field)
				}
				if !slices.Equal(got, tc.want) || !slices.Equal(fieldNames(err), tc.want) {
					t.Fatalf("report names %v (error %v), want %v", got, fieldNames(err), tc.want)
				}
				if r.Created+r.Updated+r.Unchanged != 0 || countMembers(t, s) != 0 {
					t.Fatalf("a refused import wrote something: %+v, %d members", r, countMembers(t, s))
				}
			})
		}
	})
}

func TestOnlyAnAdminMayImport(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, s *db.Store) {
		w := newRefWorld(t, s)
		_, err := w.app.ImportMembers(context.Background(), w.darlCoord, bytes.NewReader(nil))
		if domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a coordinator importing: %v", err)
		}
	})
}

func TestTheImportHeaderMustNameEveryColumn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, csv string }{
		{"an empty file", ""},
		{"a missing column", "name,email\n"},
		{"an unknown column", "name,email,phone,kinds,home_area,lat,lon,travel_km,max_hours_per_week,skills,clearance,clearance_expires_on,roles\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := app.ParseMemberCSV(bytes.NewReader([]byte(tc.csv)))
			if len(errs) == 0 || errs[0].Field != "header" {
				t.Fatalf("got %v, want a header error", errs)
			}
		})
	}
}

func FuzzImport(f *testing.F) {
	for _, name := range []string{"members.csv", "members-updated.csv", "members-bad.csv", "members-unknown.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "import", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("name,email\n\"unterminated"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, errs := app.ParseMemberCSV(bytes.NewReader(b))
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("a row on line %d, before the header ended", r.Line)
			}
		}
		for _, e := range errs {
			if e.Field == "" || e.Message == "" {
				t.Fatalf("an error without a field or message: %+v", e)
			}
		}
	})
}
