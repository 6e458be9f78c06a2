-- 016_cellular_therapy: the transplant type cellular_therapy (CAR-T and other
-- cellular therapies; issue 16 item 7, docs/clinical-rules.md s.20).
--
-- 1. transplants accepts type 'cellular_therapy'. SQLite cannot alter a
--    CHECK, so the table is rebuilt with the same columns, rows, ids, the
--    UNIQUE (patient_id, transplant_date) index and the audit triggers of
--    005 (unchanged; their column order is STORE_COLUMNS_TRANSPLANTS of
--    include/engraft/columns.h). Copying the rows fires no trigger and
--    DROP TABLE's implicit delete fires none, so the audit trail is
--    untouched and still matches every row. No table references
--    transplants(id).
-- 2. For a database that already has its reference data (as 011 and 015
--    did; a new database gets the compiled-in defaults on first use):
--    - the parameter live_min_months_after_cellular_therapy (12);
--    - vaccine_schedule: the rows whose start differs after a cellular
--      therapy (Walti, Hill et al. 2023, PMC10909447 table 3) get their own
--      cellular_therapy row; the row they replace, if it applied to every
--      type (transplant_types NULL), is narrowed to the HCT types, so that
--      no two rows of a (series, dose) share a type. A series the site
--      removed gets no row; a (series, dose) that already names
--      cellular_therapy is left alone (so is a database migrated twice).
--    - milestones that applied to every type are narrowed to the HCT types:
--      no immune milestone is defined after a cellular therapy;
--    - registry_forms: likewise the CIBMTR rows (Forms 2100, 2450), and the
--      item CIBMTR-CT (Form 4100) is added.
--    The store records these changes in the audit trail as an update by
--    the login that migrated (src/store/store.c, store_reference_log).

CREATE TABLE transplants_new (
  id              INTEGER PRIMARY KEY,
  patient_id      INTEGER NOT NULL REFERENCES patients(id),
  transplant_date TEXT NOT NULL CHECK (date(transplant_date) IS transplant_date),
  type            TEXT NOT NULL CHECK (type IN ('autologous', 'allogeneic', 'syngeneic', 'cellular_therapy')),
  graft_source    TEXT NOT NULL CHECK (graft_source IN ('bone_marrow', 'peripheral_blood', 'cord_blood')),
  donor           TEXT CHECK (donor IN ('self', 'related', 'unrelated', 'haploidentical')),
  conditioning    TEXT CHECK (conditioning IN ('myeloablative', 'reduced_intensity', 'nonmyeloablative')),
  import_id       INTEGER REFERENCES imports(id),
  UNIQUE (patient_id, transplant_date)
) STRICT;
INSERT INTO transplants_new (id, patient_id, transplant_date, type, graft_source, donor, conditioning, import_id)
  SELECT id, patient_id, transplant_date, type, graft_source, donor, conditioning, import_id FROM transplants;
DROP TABLE transplants;
ALTER TABLE transplants_new RENAME TO transplants;

CREATE TRIGGER audit_transplants_insert AFTER INSERT ON transplants
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'transplants', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'transplant_date', NEW.transplant_date, 'type', NEW.type, 'graft_source', NEW.graft_source, 'donor', NEW.donor, 'conditioning', NEW.conditioning, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transplants_update AFTER UPDATE ON transplants
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'transplants', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'transplant_date', OLD.transplant_date, 'type', OLD.type, 'graft_source', OLD.graft_source, 'donor', OLD.donor, 'conditioning', OLD.conditioning, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'transplant_date', NEW.transplant_date, 'type', NEW.type, 'graft_source', NEW.graft_source, 'donor', NEW.donor, 'conditioning', NEW.conditioning, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transplants_delete AFTER DELETE ON transplants
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'transplants', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'transplant_date', OLD.transplant_date, 'type', OLD.type, 'graft_source', OLD.graft_source, 'donor', OLD.donor, 'conditioning', OLD.conditioning, 'import_id', OLD.import_id), NULL);
END;

-- 2. reference data of an existing database
INSERT INTO parameters (key, value, unit, source)
SELECT 'live_min_months_after_cellular_therapy', '12', 'months',
       'Walti, Hill et al. 2023 (Transpl Infect Dis 25 Suppl 1:e14109, PMC10909447) table 3: live vaccines '
       || '>= 12 months after CAR-T therapy, with no ongoing immunosuppression and no IVIG in the prior 8 '
       || 'months; an HCT before it keeps its own live_min_months_after_hct (no HCT <= 2 years prior)'
WHERE EXISTS (SELECT 1 FROM parameters)
  AND NOT EXISTS (SELECT 1 FROM parameters WHERE key = 'live_min_months_after_cellular_therapy');

CREATE TEMP TABLE ct_rows (series TEXT, dose INTEGER, start_months INTEGER, after_series TEXT,
                           after_dose INTEGER, after_days INTEGER, min_age_years INTEGER,
                           max_age_years INTEGER, live INTEGER, condition TEXT, source TEXT);
INSERT INTO ct_rows VALUES
  ('PPSV23', 1, 3, 'PCV', 3, 56, NULL, NULL, 0, 'no_chronic_gvhd',
   'Walti, Hill et al. 2023 (PMC10909447) table 3: killed/inactivated vaccines incl. PPSV23 (1 dose) >= 3 months after CAR-T; >= 8 weeks after the last PCV and without chronic GVHD as for HCT (SITE DEFAULT)'),
  ('FLU', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: IIV >= 3 months after CAR-T'),
  ('TDAP', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: DTaP (3 doses) >= 3 months after CAR-T'),
  ('HIB', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: Hib (3 doses) >= 3 months after CAR-T'),
  ('IPV', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'SITE DEFAULT: IPV is not in Walti, Hill et al. 2023 (PMC10909447) table 3; inactivated, so from 3 months after CAR-T like the vaccines it lists'),
  ('HEPB', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: HBV (3 doses) >= 3 months after CAR-T'),
  ('MENACWY', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: ACYW-135 (2 doses) >= 3 months after CAR-T'),
  ('HPV', 1, 3, NULL, NULL, NULL, 9, 26, 0, NULL,
   'SITE DEFAULT: HPV is not in Walti, Hill et al. 2023 (PMC10909447) table 3; inactivated, so from 3 months after CAR-T like the vaccines it lists; age 9-26 at dose 1 as for HCT'),
  ('RZV', 1, 3, NULL, NULL, NULL, 19, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: aRZV (2 doses) >= 3 months after CAR-T; adults >= 19 as for HCT'),
  ('HEPA', 1, 3, NULL, NULL, NULL, NULL, NULL, 0, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: HAV (2 doses) >= 3 months after CAR-T'),
  ('MMR', 1, 12, NULL, NULL, NULL, NULL, NULL, 1, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: live vaccines (MMR, 2 doses) >= 12 months after CAR-T, live-vaccine gate (live_min_months_after_cellular_therapy)'),
  ('VAR', 1, 12, NULL, NULL, NULL, NULL, NULL, 1, NULL,
   'Walti, Hill et al. 2023 (PMC10909447) table 3: live vaccines (VZV LAVV, 2 doses) >= 12 months after CAR-T, live-vaccine gate (live_min_months_after_cellular_therapy)');
-- a (series, dose) that already names cellular_therapy is left as it is
DELETE FROM ct_rows
WHERE EXISTS (SELECT 1 FROM vaccine_schedule v
              WHERE v.series = ct_rows.series AND v.dose = ct_rows.dose
                AND instr(';' || v.transplant_types || ';', ';cellular_therapy;') > 0);
UPDATE vaccine_schedule SET transplant_types = 'autologous;allogeneic;syngeneic'
WHERE transplant_types IS NULL
  AND EXISTS (SELECT 1 FROM ct_rows c WHERE c.series = vaccine_schedule.series AND c.dose = vaccine_schedule.dose);
INSERT INTO vaccine_schedule (series, dose, transplant_types, start_months, min_interval_days, min_interval_months,
                              after_series, after_dose, after_days, min_age_years, max_age_years, live, condition,
                              repeat, source)
SELECT c.series, c.dose, 'cellular_therapy', c.start_months, NULL, NULL, c.after_series, c.after_dose,
       c.after_days, c.min_age_years, c.max_age_years, c.live, c.condition, 0, c.source
FROM ct_rows c
WHERE EXISTS (SELECT 1 FROM vaccine_schedule v WHERE v.series = c.series)
  AND (c.after_series IS NULL OR EXISTS (SELECT 1 FROM vaccine_schedule v WHERE v.series = c.after_series))
ORDER BY rowid;
DROP TABLE ct_rows;

UPDATE milestones SET transplant_types = 'autologous;allogeneic;syngeneic' WHERE transplant_types IS NULL;

-- registry_forms: the rows of 015 (CIBMTR Forms 2100 and 2450) are for HCTs;
-- a cellular therapy has its own item, CIBMTR-CT (Form 4100): day 100, 6
-- months, then yearly to 15 years, on either track, counted from the
-- infusion (src/core/followup.c).
UPDATE registry_forms SET transplant_types = 'autologous;allogeneic;syngeneic' WHERE transplant_types IS NULL;
INSERT INTO registry_forms (item, track, transplant_types, time_point, offset_days, offset_months, repeat_months,
                            source)
WITH RECURSIVE tracks(track, k) AS (VALUES ('crf', 0), ('ted', 1)),
     points(n) AS (SELECT -1 UNION ALL SELECT n + 1 FROM points WHERE n < 15)
SELECT 'CIBMTR-CT', track, 'cellular_therapy',
       CASE n WHEN -1 THEN 'D100' WHEN 0 THEN 'M6' ELSE 'Y' || n END,
       CASE n WHEN -1 THEN 100 END,
       CASE n WHEN -1 THEN NULL WHEN 0 THEN 6 ELSE 12 * n END,
       NULL,
       'CIBMTR FIM Form 4100, Cellular Therapy Essential Data Follow-Up '
       || '(https://www.cibmtr.org/manuals/fim/1/en/topic/4100): for recipients of cellular therapy, at 100 days, '
       || 'six months and annually' || CASE WHEN n > 0 THEN ' (year ' || n || ' of 15)' ELSE '' END
       || '; CIBMTR Training and Reference Manual, Cell therapy reporting tracks: a genetically modified product '
       || 'such as CAR-T follows up from 100 days to 15 years, on either track'
FROM tracks, points
WHERE EXISTS (SELECT 1 FROM registry_forms)
  AND NOT EXISTS (SELECT 1 FROM registry_forms WHERE item = 'CIBMTR-CT')
ORDER BY k, n;

PRAGMA user_version = 16;
