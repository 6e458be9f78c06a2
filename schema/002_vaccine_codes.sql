-- 002_vaccine_codes: the vaccine series (docs/clinical-rules.md s.11) and the
-- CVX codes that count toward them (assets/cvx.csv, loaded by the program;
-- a combination vaccine has one row per series it counts toward).

CREATE TABLE vaccine_series (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 15),
  name TEXT NOT NULL,
  live INTEGER NOT NULL CHECK (live IN (0, 1))
) STRICT, WITHOUT ROWID;

INSERT INTO vaccine_series (code, name, live) VALUES
  ('FLU', 'influenza, inactivated', 0),
  ('PCV', 'pneumococcal conjugate (PCV13/15/20/21)', 0),
  ('PPSV23', 'pneumococcal polysaccharide', 0),
  ('TDAP', 'tetanus, diphtheria, pertussis (DTaP/Tdap/Td)', 0),
  ('HIB', 'Haemophilus influenzae type b', 0),
  ('HEPB', 'hepatitis B', 0),
  ('HEPA', 'hepatitis A', 0),
  ('IPV', 'polio, inactivated', 0),
  ('MENACWY', 'meningococcal ACWY', 0),
  ('MENB', 'meningococcal B', 0),
  ('HPV', 'human papillomavirus', 0),
  ('RZV', 'recombinant zoster', 0),
  ('COVID19', 'COVID-19', 0),
  ('MMR', 'measles, mumps, rubella (live)', 1),
  ('VAR', 'varicella (live)', 1);

CREATE TABLE cvx_codes (
  cvx         TEXT NOT NULL CHECK (length(cvx) BETWEEN 1 AND 15 AND cvx NOT GLOB '*[^0-9]*'),
  series      TEXT NOT NULL REFERENCES vaccine_series(code),
  live        INTEGER NOT NULL CHECK (live IN (0, 1)),
  description TEXT NOT NULL,
  PRIMARY KEY (cvx, series)
) STRICT, WITHOUT ROWID;

-- Every code a vaccination may be recorded with, and the series it counts toward.
CREATE VIEW vaccine_codes (code, series, live) AS
  SELECT code, code, live FROM vaccine_series
  UNION ALL
  SELECT cvx, series, live FROM cvx_codes;

PRAGMA user_version = 2;
