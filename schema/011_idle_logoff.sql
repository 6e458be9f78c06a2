-- 011_idle_logoff: the terminal interface's automatic logoff (HIPAA 45 CFR
-- 164.312(a)(2)(iii)) and the drafts it keeps.
--
-- 1. The site parameter idle_logoff_minutes. A database that already has its
--    reference data gets the shipped default (the same row as
--    assets/parameters.csv), since the core refuses a parameter set without
--    it; a site that wants another time loads its files (init --assets). A
--    new database has no parameters yet: the compiled-in defaults, which
--    include this row, are loaded on first use, so nothing is inserted then.
-- 2. drafts: what a login had typed into a form of the terminal interface
--    when it was signed off for inactivity, offered the next time the same
--    login opens the same form for the same patient and context. One draft
--    per (login, form, patient, context), replaced by a later sign-off.
--    Drafts are not clinical records: no audit triggers, no export; they
--    hold patient data, so they live only in the database. patient_id has
--    no foreign key (a draft never blocks a change to the patients); a
--    draft whose patient is gone is discarded quietly when it is next read.
--    fields is the form's field values in the app layer's escaped encoding
--    (src/app/app.c); saved_at is UTC, YYYY-MM-DDTHH:MM:SSZ.
-- Depends on 003 (parameters); migration numbers may have gaps (008 is
-- reserved for another branch): each migration sets its own number.

INSERT INTO parameters (key, value, unit, source)
SELECT 'idle_logoff_minutes', '15', 'minutes',
       'HIPAA 45 CFR 164.312(a)(2)(iii) automatic logoff: end an electronic session after a predetermined '
       || 'time of inactivity; SITE DEFAULT 15 minutes (whole minutes 1-480) for the terminal interface, '
       || 'whose unsaved form input is kept as a draft'
WHERE EXISTS (SELECT 1 FROM parameters)
  AND NOT EXISTS (SELECT 1 FROM parameters WHERE key = 'idle_logoff_minutes');

CREATE TABLE drafts (
  id         INTEGER PRIMARY KEY,
  login      TEXT    NOT NULL CHECK (length(login) BETWEEN 1 AND 127),
  form       TEXT    NOT NULL CHECK (form IN ('lab', 'dose', 'gvhd-acute', 'gvhd-chronic', 'ack',
                                              'entered-in-error')),
  patient_id INTEGER NOT NULL CHECK (patient_id >= 1),
  context    TEXT    NOT NULL DEFAULT '' CHECK (length(context) <= 63),
  fields     TEXT    NOT NULL CHECK (length(fields) <= 65536),
  saved_at   TEXT    NOT NULL CHECK (saved_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
  UNIQUE (login, form, patient_id, context)
) STRICT;

PRAGMA user_version = 11;
