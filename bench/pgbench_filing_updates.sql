-- The filing's number and routing UPDATEs (appeals.services._next_number, appeals.routing
-- _CLAIM_LEAST_LOADED), rolled back: simple against prepared statements (docs/PERFORMANCE.md).
\set region random(1, 89)
BEGIN;
UPDATE appeals_appealnumbersequence SET last = last + 1 WHERE region_id = :region AND year = 2026 RETURNING last;
UPDATE deputies_deputy SET open_appeals = open_appeals + 1, last_assigned_at = now() WHERE id = (SELECT d.id FROM deputies_deputy d WHERE d.accepts_appeals AND d.region_id = :region ORDER BY d.open_appeals, d.last_assigned_at NULLS FIRST, d.id LIMIT 1) RETURNING id;
ROLLBACK;
