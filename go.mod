module github.com/ormc/ormc

go 1.26

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/go-sql-driver/mysql v1.10.1
	github.com/jackc/pgx/v5 v5.12.0
	github.com/rogpeppe/go-internal v1.16.0
	modernc.org/sqlite v1.62.0
)
