// Package domain holds copbank's entities, value types and the booking rules as
// pure functions, together with the one error type every layer speaks.
//
// It must not import gorm, fiber, validator or any other copbank package.
package domain
