-- 007_lab_tests: the site's lab-test limits (assets/lab_tests.csv): per test
-- the plausible range (outside = refused), the reference interval and the
-- critical limits (flags), and the source of the row. Column names are the
-- CSV header names; include/engraft/reference.h documents them. Limits are
-- kept as the decimal text the site wrote (canonical unit of the test), so
-- no locale ever reads them; the core parses and checks every row
-- (ef_reference_add_row) before it is written and when it is read back.
-- Depends on no migration after 003. The rows are loaded by engraft on first
-- use after this migration (the compiled-in defaults) or by init --assets.

CREATE TABLE lab_tests (
  test          TEXT NOT NULL UNIQUE CHECK (test IN ('ANC', 'ALC', 'WBC', 'HGB', 'PLT', 'CD3', 'CD4',
                     'CD8', 'CD19', 'NK', 'IGG', 'IGA', 'IGM', 'BILI', 'CREAT')),
  plausible_min TEXT CHECK (plausible_min IS NULL OR (plausible_min GLOB '[0-9]*' AND plausible_min NOT GLOB '*[^0-9.]*')),
  plausible_max TEXT CHECK (plausible_max IS NULL OR (plausible_max GLOB '[0-9]*' AND plausible_max NOT GLOB '*[^0-9.]*')),
  ref_low       TEXT CHECK (ref_low IS NULL OR (ref_low GLOB '[0-9]*' AND ref_low NOT GLOB '*[^0-9.]*')),
  ref_high      TEXT CHECK (ref_high IS NULL OR (ref_high GLOB '[0-9]*' AND ref_high NOT GLOB '*[^0-9.]*')),
  critical_low  TEXT CHECK (critical_low IS NULL OR (critical_low GLOB '[0-9]*' AND critical_low NOT GLOB '*[^0-9.]*')),
  critical_high TEXT CHECK (critical_high IS NULL OR (critical_high GLOB '[0-9]*' AND critical_high NOT GLOB '*[^0-9.]*')),
  source        TEXT NOT NULL CHECK (length(source) >= 1)
) STRICT;

PRAGMA user_version = 7;
