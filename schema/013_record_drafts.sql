-- 013_record_drafts.sql - drafts of the record forms of the terminal
-- interface (issue 14): a transplant, an immunosuppression course, an IVIG
-- dose and a transfusion entered from the chart are kept at an automatic
-- sign-off as the lab and dose forms are (011). SQLite cannot change a
-- CHECK: the table is made again with the longer list of forms and its rows
-- copied as they are. Drafts are not audited (011).

CREATE TABLE drafts_013 (
  id         INTEGER PRIMARY KEY,
  login      TEXT    NOT NULL CHECK (length(login) BETWEEN 1 AND 127),
  form       TEXT    NOT NULL CHECK (form IN ('lab', 'dose', 'gvhd-acute', 'gvhd-chronic', 'ack',
                                              'entered-in-error', 'transplant', 'immunosuppression', 'ivig',
                                              'transfusion')),
  patient_id INTEGER NOT NULL CHECK (patient_id >= 1),
  context    TEXT    NOT NULL DEFAULT '' CHECK (length(context) <= 63),
  fields     TEXT    NOT NULL CHECK (length(fields) <= 65536),
  saved_at   TEXT    NOT NULL CHECK (saved_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
  UNIQUE (login, form, patient_id, context)
) STRICT;

INSERT INTO drafts_013 (id, login, form, patient_id, context, fields, saved_at)
SELECT id, login, form, patient_id, context, fields, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_013 RENAME TO drafts;

PRAGMA user_version = 13;
