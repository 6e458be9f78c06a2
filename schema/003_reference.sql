-- 003_reference: the site-editable reference data of assets/ (parameters.csv,
-- vaccine_schedule.csv, milestones.csv, monitoring.csv; cvx.csv is cvx_codes
-- of 002). Column names are the CSV header names; include/engraft/reference.h
-- documents them. Rows are validated by the core (ef_reference_add_row)
-- before they are written, and read back through the same parser; the CHECKs
-- here only keep hand edits of the file from storing nonsense. Table order
-- (rowid) is file order: the vaccine schedule lists series in that order.

CREATE TABLE parameters (
  key    TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 63),
  value  TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 31),
  unit   TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 15),
  source TEXT NOT NULL CHECK (length(source) >= 1)
) STRICT;

CREATE TABLE vaccine_schedule (
  id                  INTEGER PRIMARY KEY,
  series              TEXT    NOT NULL REFERENCES vaccine_series(code),
  dose                INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 99),
  transplant_types    TEXT    CHECK (transplant_types IS NULL OR length(transplant_types) BETWEEN 1 AND 63),
  start_months        INTEGER CHECK (start_months >= 0),
  min_interval_days   INTEGER CHECK (min_interval_days >= 1),
  min_interval_months INTEGER CHECK (min_interval_months >= 1),
  after_series        TEXT    REFERENCES vaccine_series(code),
  after_dose          INTEGER CHECK (after_dose >= 0),
  after_days          INTEGER CHECK (after_days >= 0),
  min_age_years       INTEGER CHECK (min_age_years >= 0),
  max_age_years       INTEGER CHECK (max_age_years >= 0),
  live                INTEGER NOT NULL CHECK (live IN (0, 1)),
  condition           TEXT    CHECK (condition IN ('chronic_gvhd', 'no_chronic_gvhd')),
  repeat              INTEGER CHECK (repeat IN (0, 1)),
  source              TEXT    NOT NULL CHECK (length(source) >= 1)
) STRICT;

CREATE TABLE milestones (
  id               TEXT    NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 31),
  test             TEXT    NOT NULL CHECK (test IN ('ANC', 'ALC', 'WBC', 'HGB', 'PLT', 'CD3', 'CD4',
                           'CD8', 'CD19', 'NK', 'IGG', 'IGA', 'IGM', 'BILI', 'CREAT')),
  comparator       TEXT    NOT NULL CHECK (comparator IN ('>=', '>', '<=', '<')),
  threshold        REAL    NOT NULL CHECK (threshold > 0),
  window_start_day INTEGER NOT NULL CHECK (window_start_day >= 0),
  window_end_day   INTEGER NOT NULL CHECK (window_end_day >= window_start_day),
  transplant_types TEXT    CHECK (transplant_types IS NULL OR length(transplant_types) BETWEEN 1 AND 63),
  description      TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 127),
  source           TEXT    NOT NULL CHECK (length(source) >= 1)
) STRICT;

CREATE TABLE monitoring (
  id                INTEGER PRIMARY KEY,
  test              TEXT    NOT NULL CHECK (test IN ('ANC', 'ALC', 'WBC', 'HGB', 'PLT', 'CD3', 'CD4',
                            'CD8', 'CD19', 'NK', 'IGG', 'IGA', 'IGM', 'BILI', 'CREAT')),
  from_day          INTEGER NOT NULL CHECK (from_day >= 0),
  to_day            INTEGER CHECK (to_day IS NULL OR to_day >= from_day),
  max_interval_days INTEGER NOT NULL CHECK (max_interval_days >= 1),
  transplant_types  TEXT    CHECK (transplant_types IS NULL OR length(transplant_types) BETWEEN 1 AND 63),
  source            TEXT    NOT NULL CHECK (length(source) >= 1)
) STRICT;

PRAGMA user_version = 3;
