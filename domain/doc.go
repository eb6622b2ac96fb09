// Package domain holds copbank's entities, value types and the booking rules as
// pure functions, together with the one error type every layer speaks. The
// catalogue (catalogue.go) names every rule and score term once, hard or soft,
// with the words that say it failed or held.
//
// It must not import gorm, fiber, validator or any other copbank package.
package domain
