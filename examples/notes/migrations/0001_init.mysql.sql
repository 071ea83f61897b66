-- ormc migration 0001_init (mysql), planned by ormc migrate diff: review before committing

-- ormc:step -- create table notes
CREATE TABLE `notes` (
  `id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `text` VARCHAR(100) NOT NULL,
  `completed` BOOLEAN NOT NULL DEFAULT FALSE
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin COMMENT 'Note is something to do.
ormc: model Note'
