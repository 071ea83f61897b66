module github.com/ormc/ormc/examples

go 1.26

require github.com/ormc/ormc v0.0.0

replace github.com/ormc/ormc => ../
