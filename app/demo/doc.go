// Package demo writes copbank's demo data set (`copbank seed --demo`,
// `copbank serve --demo`) through app's use cases, so every rule that guards
// the API guards the demo data too, and lists the demo accounts.
//
// It imports app and domain; only main and tests import it.
package demo
