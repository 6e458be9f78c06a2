-- 010_reference_audit: the reference tables (parameters, vaccine_schedule,
-- milestones, monitoring, cvx_codes, lab_tests) enter the audit trail
-- (docs/formats.md s.9).
--
-- No table changes. Each reference table's state is the JSON array of its
-- rows in file order; the trail holds one entry per change of a table
-- (tbl = the table, row_key 0): 'insert' for its first rows, 'update' with
-- the rows before and after whenever someone loads site files (engraft init
-- --assets), and 'baseline' for the rows this migration finds. The store
-- writes the baseline right after this file, in the same transaction
-- (src/store/reference.c, store_reference_log), since the JSON is built
-- from the same column list as every later entry. `audit verify` compares
-- each table with its last entry, so a threshold changed in the sqlite3
-- shell is exit 5.

PRAGMA user_version = 10;
