package web

import "testing"

func TestLedByLeadsAnAppMessageWithTheFieldLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, label, msg, want string }{
		{"a message starting with a verb follows the label", "Places", "must be from 1 to 500", "Places must be from 1 to 500"},
		{"a plural verb too", "Skills", "are not known", "Skills are not known"},
		{"any other message follows a colon", "Longitude", "give both lat and lon, or neither", "Longitude: give both lat and lon, or neither"},
		{"with no label the message stands alone", "", "the member could not be added", "The member could not be added"},
		{"with no message the label is not right", "Title", " ", "Title is not right"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ledBy(tc.label, tc.msg); got != tc.want {
				t.Errorf("ledBy(%q, %q) = %q, want %q", tc.label, tc.msg, got, tc.want)
			}
		})
	}
}
