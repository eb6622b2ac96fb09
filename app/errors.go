package app

import (
	"errors"

	"github.com/copbank/copbank/domain"
)

func asError(err error, target **domain.Error) bool { return errors.As(err, target) }
