-- ormc migration 0001_init (sqlite), planned by ormc migrate diff: review before committing

-- ormc:step -- create table notes
CREATE TABLE "notes" (
  "id" INTEGER PRIMARY KEY CONSTRAINT "ormc_key_range" CHECK ("id" <= 2147483647),
  "text" VARCHAR(100) NOT NULL,
  "completed" BOOLEAN NOT NULL DEFAULT FALSE
)
