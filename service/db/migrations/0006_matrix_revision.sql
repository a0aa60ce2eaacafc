-- A counter that every statement changing what the stance matrix shows (stances,
-- actors, topics) bumps in its own transaction, so a reader can tell with one
-- primary-key read whether a matrix it built earlier still holds
-- (service/api/stances.py). Writers of stances are already serialised by the
-- re-score lock, so the row lock taken here adds no waiting.
CREATE TABLE revisions (
    name  text PRIMARY KEY,
    n     bigint NOT NULL DEFAULT 0
);
INSERT INTO revisions (name) VALUES ('matrix');

CREATE FUNCTION bump_matrix_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE revisions SET n = n + 1 WHERE name = 'matrix';
    RETURN NULL;
END
$$;

CREATE TRIGGER stances_matrix_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON stances FOR EACH STATEMENT EXECUTE FUNCTION bump_matrix_revision();
CREATE TRIGGER actors_matrix_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON actors FOR EACH STATEMENT EXECUTE FUNCTION bump_matrix_revision();
CREATE TRIGGER topics_matrix_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON topics FOR EACH STATEMENT EXECUTE FUNCTION bump_matrix_revision();
