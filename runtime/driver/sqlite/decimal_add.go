package sqlite

import (
	sqldriver "database/sql/driver"
	"math/big"

	"modernc.org/sqlite"
)

// SQLite stores a Decimal column as text, and its + reads text as a
// float: '0.1' + 0.2 is 0.30000000000000004, and a 30-digit decimal loses
// its last digits. ormc_decimal_add(a, b) is a + b computed exactly,
// which the engine writes for an assignment such as price = price + 1.5
// (runtime.Add) through dialect.DecimalAdd:
//
//   - NULL and anything is NULL, as with +;
//   - two integers add to an integer (one beyond int64 to the exact
//     digits as text, where + would give a float);
//   - decimal text and integers add to the exact value as text, with the
//     larger scale of the two, as PostgreSQL's and MySQL's numeric + does;
//   - any other value (a float, text that is no decimal) makes the sum a
//     float, as + would.

func init() {
	err := sqlite.RegisterFunction("ormc_decimal_add", &sqlite.FunctionImpl{
		NArgs:         2,
		Deterministic: true,
		Scalar: func(_ *sqlite.FunctionContext, args []sqldriver.Value) (sqldriver.Value, error) {
			return decimalAdd(args[0], args[1]), nil
		},
	})
	if err != nil {
		panic(err)
	}
}

// decimalAdd returns a + b as ormc_decimal_add defines it.
func decimalAdd(a, b sqldriver.Value) sqldriver.Value {
	if a == nil || b == nil {
		return nil
	}
	var s decimalSum
	s.exact = new(big.Int)
	s.add(a, 1)
	s.add(b, 1)
	v, _ := s.WindowValue(nil) // it has no error to return
	return v
}
