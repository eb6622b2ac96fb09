package app_test

import (
	"errors"

	"github.com/copbank/copbank/domain"
)

func asDomain(err error, target **domain.Error) bool { return errors.As(err, target) }
