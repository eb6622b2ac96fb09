package domain

import "time"

// AreaKind is a level of the area tree. A level may be skipped.
type AreaKind string

const (
	AreaForce          AreaKind = "force"
	AreaLocalAuthority AreaKind = "local_authority"
	AreaHub            AreaKind = "hub"
	AreaNeighbourhood  AreaKind = "neighbourhood"
)

// areaRank orders the levels so a child always sits below its parent.
var areaRank = map[AreaKind]int{AreaForce: 0, AreaLocalAuthority: 1, AreaHub: 2, AreaNeighbourhood: 3}

// ValidAreaKind reports a known level.
func ValidAreaKind(k AreaKind) bool { _, ok := areaRank[k]; return ok }

// CanParent reports whether an area of kind parent may hold one of kind child.
func CanParent(parent, child AreaKind) bool { return areaRank[parent] < areaRank[child] }

// Area is a node of the force's area tree.
type Area struct {
	ID         string
	Code       string
	Name       string
	Kind       AreaKind
	ParentID   string
	ParentCode string
	// Path is "/<root id>/…/<own id>/": an area is in X when its path starts with X's.
	Path      string
	Lat, Lon  *float64
	CreatedAt time.Time
}

// Within reports whether a is at or below the area whose path is ancestorPath.
func (a Area) Within(ancestorPath string) bool {
	return len(a.Path) >= len(ancestorPath) && a.Path[:len(ancestorPath)] == ancestorPath
}

// Skill is an entry of the skill catalogue.
type Skill struct {
	ID          string
	Code        string
	Name        string
	ValidMonths *int
	CreatedAt   time.Time
}
