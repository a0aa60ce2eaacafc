-- A counter bumped, in the writer's own transaction, by every change to what the
-- stance reads show: stances, actors, topics, and evidence updated or deleted
-- (corrections, re-extraction; new evidence counts only once a re-score writes
-- stances). A reader tells with one primary-key read whether a body it built
-- earlier still holds (service/api/stances.py). Writers of stances are already
-- serialised by the re-score lock, so the row lock taken here adds little waiting.
CREATE TABLE revisions (
    name  text PRIMARY KEY,
    n     bigint NOT NULL DEFAULT 0
);
INSERT INTO revisions (name) VALUES ('stances');

CREATE FUNCTION bump_stances_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'stances';
    RETURN NULL;
END
$$;

-- for evidence: only when the statement changed rows (an ingest's re-application of
-- corrections usually changes none)
CREATE FUNCTION bump_stances_revision_if_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        UPDATE revisions SET n = n + 1 WHERE name = 'stances';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stances_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON stances FOR EACH STATEMENT EXECUTE FUNCTION bump_stances_revision();
CREATE TRIGGER actors_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON actors FOR EACH STATEMENT EXECUTE FUNCTION bump_stances_revision();
CREATE TRIGGER topics_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON topics FOR EACH STATEMENT EXECUTE FUNCTION bump_stances_revision();
CREATE TRIGGER evidence_updated_revision AFTER UPDATE ON evidence
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_stances_revision_if_changed();
CREATE TRIGGER evidence_deleted_revision AFTER DELETE ON evidence
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION bump_stances_revision_if_changed();
