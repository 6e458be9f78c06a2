-- 001_init: the clinical record.
-- Dates are ISO 8601 text exactly as validated on input (YYYY-MM-DD); a lab's
-- collected_on may carry a local time (YYYY-MM-DDTHH:MM[:SS]) and also stores
-- its day number (days since 1970-01-01) for day-based rules.
-- Every clinical row carries the id of the import that inserted it (NULL when
-- entered one at a time), so an import can be audited as one unit.

CREATE TABLE imports (
  id            INTEGER PRIMARY KEY,
  at            TEXT    NOT NULL,                 -- UTC, YYYY-MM-DDTHH:MM:SSZ
  user          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  file_name     TEXT    NOT NULL,
  file_sha256   TEXT    CHECK (file_sha256 IS NULL OR length(file_sha256) = 64),
  rows_inserted INTEGER NOT NULL DEFAULT 0 CHECK (rows_inserted >= 0),
  rows_updated  INTEGER NOT NULL DEFAULT 0 CHECK (rows_updated >= 0),
  rows_unchanged INTEGER NOT NULL DEFAULT 0 CHECK (rows_unchanged >= 0)
) STRICT;

CREATE TABLE patients (
  id          INTEGER PRIMARY KEY,
  mrn         TEXT NOT NULL UNIQUE CHECK (length(mrn) BETWEEN 1 AND 63),
  family_name TEXT NOT NULL CHECK (length(family_name) BETWEEN 1 AND 127),
  given_name  TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 127),
  birth_date  TEXT NOT NULL CHECK (date(birth_date) IS birth_date),
  sex         TEXT CHECK (sex IN ('F', 'M', 'X')),
  diagnosis   TEXT CHECK (length(diagnosis) <= 127),
  import_id   INTEGER REFERENCES imports(id)
) STRICT;

CREATE TABLE transplants (
  id              INTEGER PRIMARY KEY,
  patient_id      INTEGER NOT NULL REFERENCES patients(id),
  transplant_date TEXT NOT NULL CHECK (date(transplant_date) IS transplant_date),
  type            TEXT NOT NULL CHECK (type IN ('autologous', 'allogeneic', 'syngeneic')),
  graft_source    TEXT NOT NULL CHECK (graft_source IN ('bone_marrow', 'peripheral_blood', 'cord_blood')),
  donor           TEXT CHECK (donor IN ('self', 'related', 'unrelated', 'haploidentical')),
  conditioning    TEXT CHECK (conditioning IN ('myeloablative', 'reduced_intensity', 'nonmyeloablative')),
  import_id       INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, transplant_date)
) STRICT;

-- The high-volume table: every value is validated in C before it is bound,
-- so its CHECK is one cheap expression of equality chains (an IN list in a
-- CHECK builds a temporary index on every insert and made a 1M-row import
-- three times slower), and collected_on's calendar validity is left to the
-- importer (date() per row costs as much as the insert itself).
CREATE TABLE lab_results (
  id            INTEGER PRIMARY KEY,
  patient_id    INTEGER NOT NULL REFERENCES patients(id),
  collected_on  TEXT    NOT NULL, -- as given: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]
  collected_day INTEGER NOT NULL, -- days since 1970-01-01 of collected_on
  test          TEXT    NOT NULL,
  value         TEXT    NOT NULL, -- as given, with its qualifier, e.g. '<0.1'
  qualifier     TEXT    NOT NULL,
  canonical     REAL    NOT NULL, -- in the test's canonical unit
  unit          TEXT    NOT NULL, -- as given
  import_id     INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, collected_on, test),
  CHECK ((length(collected_on) = 10 OR length(collected_on) = 16 OR length(collected_on) = 19)
    AND (test = 'ANC' OR test = 'ALC' OR test = 'WBC' OR test = 'HGB' OR test = 'PLT' OR test = 'CD3'
      OR test = 'CD4' OR test = 'CD8' OR test = 'CD19' OR test = 'NK' OR test = 'IGG' OR test = 'IGA'
      OR test = 'IGM' OR test = 'BILI' OR test = 'CREAT')
    AND length(value) BETWEEN 1 AND 47
    AND (qualifier = '=' OR qualifier = '<' OR qualifier = '>')
    AND canonical >= 0
    AND length(unit) BETWEEN 1 AND 31)
) STRICT;

CREATE TABLE transfusions (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  given_on   TEXT NOT NULL CHECK (date(given_on) IS given_on),
  product    TEXT NOT NULL CHECK (product IN ('platelets', 'red_cells', 'plasma', 'granulocytes')),
  import_id  INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, given_on, product)
) STRICT;

CREATE TABLE vaccinations (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  vaccine    TEXT NOT NULL CHECK (length(vaccine) BETWEEN 1 AND 15), -- series code or CVX, as given
  given_on   TEXT NOT NULL CHECK (date(given_on) IS given_on),
  lot        TEXT CHECK (length(lot) <= 63),
  site       TEXT CHECK (length(site) <= 63),
  given_by   TEXT CHECK (length(given_by) <= 127),
  import_id  INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, vaccine, given_on)
) STRICT;

CREATE TABLE gvhd_acute (
  id          INTEGER PRIMARY KEY,
  patient_id  INTEGER NOT NULL REFERENCES patients(id),
  assessed_on TEXT NOT NULL CHECK (date(assessed_on) IS assessed_on),
  skin        INTEGER NOT NULL CHECK (skin BETWEEN 0 AND 4),
  liver       INTEGER NOT NULL CHECK (liver BETWEEN 0 AND 4),
  upper_gi    INTEGER NOT NULL CHECK (upper_gi BETWEEN 0 AND 1),
  lower_gi    INTEGER NOT NULL CHECK (lower_gi BETWEEN 0 AND 4),
  grade       TEXT NOT NULL CHECK (grade IN ('0', 'I', 'II', 'III', 'IV')), -- MAGIC, computed
  import_id   INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, assessed_on)
) STRICT;

CREATE TABLE gvhd_chronic (
  id          INTEGER PRIMARY KEY,
  patient_id  INTEGER NOT NULL REFERENCES patients(id),
  assessed_on TEXT NOT NULL CHECK (date(assessed_on) IS assessed_on),
  skin        INTEGER NOT NULL CHECK (skin BETWEEN 0 AND 3),
  mouth       INTEGER NOT NULL CHECK (mouth BETWEEN 0 AND 3),
  eyes        INTEGER NOT NULL CHECK (eyes BETWEEN 0 AND 3),
  gi          INTEGER NOT NULL CHECK (gi BETWEEN 0 AND 3),
  liver       INTEGER NOT NULL CHECK (liver BETWEEN 0 AND 3),
  lungs       INTEGER NOT NULL CHECK (lungs BETWEEN 0 AND 3),
  joints      INTEGER NOT NULL CHECK (joints BETWEEN 0 AND 3),
  genital     INTEGER NOT NULL CHECK (genital BETWEEN 0 AND 3),
  severity    TEXT NOT NULL CHECK (severity IN ('none', 'mild', 'moderate', 'severe')), -- NIH 2014, computed
  import_id   INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, assessed_on)
) STRICT;

CREATE TABLE immunosuppression (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  drug       TEXT NOT NULL CHECK (length(drug) BETWEEN 1 AND 63),
  started_on TEXT NOT NULL CHECK (date(started_on) IS started_on),
  stopped_on TEXT CHECK (stopped_on IS NULL OR (date(stopped_on) IS stopped_on AND stopped_on >= started_on)),
  import_id  INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, drug, started_on)
) STRICT;

CREATE TABLE ivig (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  given_on   TEXT NOT NULL CHECK (date(given_on) IS given_on),
  dose_g     TEXT CHECK (dose_g IS NULL OR (length(dose_g) BETWEEN 1 AND 31 AND CAST(dose_g AS REAL) > 0)),
  import_id  INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, given_on)
) STRICT;

CREATE INDEX patients_name ON patients (family_name, given_name, mrn);
PRAGMA user_version = 1;
