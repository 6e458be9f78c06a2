-- 018_alert_groups: the clinic's alert list read a page at a time (issue 15).
--
-- The alert list of the TUI groups the alerts by patient, worst first: a
-- patient's place is that of their worst alert (critical, warning, info;
-- then the earliest due date, none last; then the MRN). At 100,000 patients
-- (434,675 open alerts) grouping every alert on each open took 2.5 s, so
-- each patient with alerts keeps one row here, written by the store in the
-- same transaction as any change to their alerts (src/store/alerts.c,
-- store_alerts_apply and store_alert_ack), and the list reads it by keyset
-- over the two indexes below: a page after or before a (key, MRN), never
-- every row.
--
-- key: the worst alert's severity rank ('0' critical, '1' warning, '2'
-- info) then '0' and its due date, or '1' without one: ordered as text like
-- (severity, due_on IS NULL, due_on). open_key is of the open alerts only
-- (NULL: none open), all_key of every status (the history). open_alerts and
-- all_alerts list each alert's rule and severity's initial ('IGG_LOW:w'),
-- comma-separated: the filters by severity, rule and typed words are
-- decided from them without reading the alerts.
--
-- name is the patient's "Family, Given" (the list shows it and `/` looks
-- in it: a join with patients for each row cost more than the rest of a
-- scan); the trigger below keeps it when a name is corrected.
--
-- The table is derived data, not audited (audit.c audits the alerts
-- themselves); it is filled here from the alerts already there. IF NOT
-- EXISTS, DROP ... IF EXISTS and OR REPLACE: the tests that fake an older
-- schema run this again over a database that has it.

CREATE TABLE IF NOT EXISTS alert_groups (
  patient_id  INTEGER PRIMARY KEY REFERENCES patients(id),
  mrn         TEXT NOT NULL,
  name        TEXT NOT NULL,
  open_key    TEXT,
  all_key     TEXT NOT NULL,
  open_alerts TEXT NOT NULL,
  all_alerts  TEXT NOT NULL,
  CHECK (length(mrn) BETWEEN 1 AND 63
    AND length(name) BETWEEN 4 AND 256
    AND (open_key IS NULL OR length(open_key) = 2 OR length(open_key) = 12)
    AND (length(all_key) = 2 OR length(all_key) = 12)
    AND (open_key IS NULL) = (open_alerts = ''))
) STRICT;

-- Covering: a walk of the list in its order (a typed filter's count)
-- reads the index alone, not the table row by row.
CREATE INDEX IF NOT EXISTS alert_groups_open ON alert_groups (open_key, mrn, name, open_alerts)
  WHERE open_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS alert_groups_all ON alert_groups (all_key, mrn, name, all_alerts);


INSERT OR REPLACE INTO alert_groups (patient_id, mrn, name, open_key, all_key, open_alerts, all_alerts)
SELECT p.id, p.mrn, p.family_name || ', ' || p.given_name, min(CASE WHEN a.status = 'open' THEN a.k END), min(a.k),
       coalesce(group_concat(CASE WHEN a.status = 'open' THEN a.t END, ','), ''), group_concat(a.t, ',')
FROM (SELECT patient_id, status,
             CASE severity WHEN 'critical' THEN '0' WHEN 'warning' THEN '1' ELSE '2' END
               || coalesce('0' || due_on, '1') AS k,
             rule || ':' || substr(severity, 1, 1) AS t
      FROM alerts) a
JOIN patients p ON p.id = a.patient_id
GROUP BY p.id;

DROP TRIGGER IF EXISTS alert_groups_name;
CREATE TRIGGER alert_groups_name AFTER UPDATE OF family_name, given_name ON patients
BEGIN
  UPDATE alert_groups SET name = NEW.family_name || ', ' || NEW.given_name WHERE patient_id = NEW.id;
END;

-- How many alerts there are of each status, severity and rule: the list's
-- title counts the clinic's open alerts, and those a severity or rule
-- filter shows, without counting hundreds of thousands of index entries.
-- Kept by the triggers below on every change to an alert.
CREATE TABLE IF NOT EXISTS alert_counts (
  status   TEXT NOT NULL,
  severity TEXT NOT NULL,
  rule     TEXT NOT NULL,
  n        INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (status, severity, rule)
) STRICT, WITHOUT ROWID;

DELETE FROM alert_counts;
INSERT INTO alert_counts (status, severity, rule, n)
SELECT status, severity, rule, count(*) FROM alerts GROUP BY status, severity, rule;

DROP TRIGGER IF EXISTS alert_counts_insert;
CREATE TRIGGER alert_counts_insert AFTER INSERT ON alerts
BEGIN
  INSERT INTO alert_counts (status, severity, rule, n) VALUES (NEW.status, NEW.severity, NEW.rule, 1)
    ON CONFLICT (status, severity, rule) DO UPDATE SET n = n + 1;
END;

DROP TRIGGER IF EXISTS alert_counts_update;
CREATE TRIGGER alert_counts_update AFTER UPDATE OF status, severity, rule ON alerts
WHEN OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity OR OLD.rule IS NOT NEW.rule
BEGIN
  UPDATE alert_counts SET n = n - 1 WHERE status = OLD.status AND severity = OLD.severity AND rule = OLD.rule;
  INSERT INTO alert_counts (status, severity, rule, n) VALUES (NEW.status, NEW.severity, NEW.rule, 1)
    ON CONFLICT (status, severity, rule) DO UPDATE SET n = n + 1;
END;

DROP TRIGGER IF EXISTS alert_counts_delete;
CREATE TRIGGER alert_counts_delete AFTER DELETE ON alerts
BEGIN
  UPDATE alert_counts SET n = n - 1 WHERE status = OLD.status AND severity = OLD.severity AND rule = OLD.rule;
END;

PRAGMA user_version = 18;
