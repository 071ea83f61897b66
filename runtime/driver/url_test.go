package driver_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ormc/ormc/runtime/driver"
)

func TestCutPoolParams(t *testing.T) {
	for _, tc := range []struct {
		in, rest string
		max      int
		bad      bool
	}{
		{in: "", rest: ""},
		{in: "sslmode=disable", rest: "sslmode=disable"},
		{in: "pool_max_conns=4", rest: "", max: 4},
		{in: "a=1&pool_max_conns=2&b=2", rest: "a=1&b=2", max: 2},
		{in: "x_pool_max_conns=3", rest: "x_pool_max_conns=3"},
		{in: "pool_max_conns=0", bad: true},
		{in: "pool_max_conns=x", bad: true},
		{in: "pool_max_conns=", bad: true},
	} {
		rest, max, err := driver.CutPoolParams(tc.in)
		if tc.bad {
			if !errors.Is(err, driver.ErrInvalidURL) {
				t.Errorf("CutPoolParams(%q) = %q, %d, %v, want an error wrapping ErrInvalidURL", tc.in, rest, max, err)
			}
			continue
		}
		if err != nil || rest != tc.rest || max != tc.max {
			t.Errorf("CutPoolParams(%q) = %q, %d, %v, want %q, %d", tc.in, rest, max, err, tc.rest, tc.max)
		}
	}
}

func TestCutConnectTimeout(t *testing.T) {
	for _, tc := range []struct {
		in, rest string
		timeout  time.Duration
		bad      bool
	}{
		{in: "", rest: "", timeout: driver.DefaultConnectTimeout},
		{in: "a=1", rest: "a=1", timeout: driver.DefaultConnectTimeout},
		{in: "connect_timeout=3", rest: "", timeout: 3 * time.Second},
		{in: "a=1&connect_timeout=0&b=2", rest: "a=1&b=2", timeout: 0},
		{in: "connect_timeout=1s", bad: true},
		{in: "connect_timeout=-1", bad: true},
		{in: "connect_timeout=1.5", bad: true},
	} {
		rest, timeout, err := driver.CutConnectTimeout(tc.in)
		if tc.bad {
			if !errors.Is(err, driver.ErrInvalidURL) {
				t.Errorf("CutConnectTimeout(%q) = %q, %v, %v, want an error wrapping ErrInvalidURL", tc.in, rest, timeout, err)
			}
			continue
		}
		if err != nil || rest != tc.rest || timeout != tc.timeout {
			t.Errorf("CutConnectTimeout(%q) = %q, %v, %v, want %q, %v", tc.in, rest, timeout, err, tc.rest, tc.timeout)
		}
	}
}
