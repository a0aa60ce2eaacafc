-- name: upsert_actor
-- Insert or refresh one actor from config/actors.yaml.
INSERT INTO actors (id, name, kind, iso3, updated_at)
VALUES (%(id)s, %(name)s, %(kind)s, %(iso3)s, now())
ON CONFLICT (id) DO UPDATE
SET name = EXCLUDED.name, kind = EXCLUDED.kind, iso3 = EXCLUDED.iso3, updated_at = now()
WHERE (actors.name, actors.kind, actors.iso3) IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.iso3)

-- name: delete_actor_aliases
-- Drop an actor's aliases before loading the current set from config.
DELETE FROM actor_aliases WHERE actor_id = %(actor_id)s

-- name: insert_actor_alias
-- One alias of an actor (name, adjective, metonym, institution or person).
INSERT INTO actor_aliases (actor_id, alias, kind, valid_from, valid_to)
VALUES (%(actor_id)s, %(alias)s, %(kind)s, %(valid_from)s, %(valid_to)s)
ON CONFLICT DO NOTHING

-- name: upsert_topic
-- Insert or refresh one topic from config/topics.yaml.
INSERT INTO topics (id, title, description, direction, updated_at)
VALUES (%(id)s, %(title)s, %(description)s, %(direction)s, now())
ON CONFLICT (id) DO UPDATE
SET title = EXCLUDED.title, description = EXCLUDED.description,
    direction = EXCLUDED.direction, updated_at = now()
WHERE (topics.title, topics.description, topics.direction) IS DISTINCT FROM
      (EXCLUDED.title, EXCLUDED.description, EXCLUDED.direction)

-- name: list_actors
-- All actors with their aliases, in id order.
SELECT a.id, a.name, a.kind, a.iso3,
       coalesce(jsonb_agg(jsonb_build_object(
           'alias', al.alias, 'kind', al.kind,
           'valid_from', al.valid_from, 'valid_to', al.valid_to)
           ORDER BY al.kind, al.alias) FILTER (WHERE al.alias IS NOT NULL), '[]') AS aliases
FROM actors a
LEFT JOIN actor_aliases al ON al.actor_id = a.id
GROUP BY a.id
ORDER BY a.id

-- name: list_topics
-- All topics in id order.
SELECT id, title, description, direction FROM topics ORDER BY id
