-- 014_loinc: the site's LOINC codes (assets/loinc.csv): which engraft lab
-- test each LOINC code reports, for the interchange formats (import hl7,
-- import fhir, export fhir). Column names are the CSV header names;
-- include/engraft/reference.h documents them. The core checks every row
-- (ef_reference_add_row: the code's check digit, a known test) before it is
-- written. Like every reference table, its state enters the audit trail
-- (010): the rows are loaded by engraft on first use after this migration
-- (the compiled-in defaults) or by init --assets, and logged then.

CREATE TABLE loinc_codes (
  loinc TEXT NOT NULL UNIQUE CHECK (length(loinc) BETWEEN 3 AND 10 AND loinc GLOB '[0-9]*-[0-9]'
                                     AND substr(loinc, 1, length(loinc) - 2) NOT GLOB '*[^0-9]*'),
  test  TEXT NOT NULL CHECK (test IN ('ANC', 'ALC', 'WBC', 'HGB', 'PLT', 'CD3', 'CD4', 'CD8', 'CD19', 'NK',
                                      'IGG', 'IGA', 'IGM', 'BILI', 'CREAT')),
  note  TEXT
) STRICT;

PRAGMA user_version = 14;
