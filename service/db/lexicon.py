"""Actors and topics: reference data synchronised from the lexicon in config/."""

from __future__ import annotations

from typing import Any

from service.db.pool import Connection
from service.db.sql import q
from service.extraction import Lexicon


def sync_lexicon(conn: Connection, lexicon: Lexicon) -> None:
    """Make the actors, aliases and topics tables match the lexicon.

    Actors or topics removed from config stay in the database (evidence may
    refer to them); their aliases are dropped."""
    for actor in lexicon.actors:
        conn.execute(
            q("upsert_actor"),
            {"id": actor.id, "name": actor.name, "kind": actor.kind, "iso3": actor.iso3},
        )
        conn.execute(q("delete_actor_aliases"), {"actor_id": actor.id})
        with conn.cursor() as cur:
            cur.executemany(
                q("insert_actor_alias"),
                [
                    {
                        "actor_id": actor.id,
                        "alias": alias.text,
                        "kind": alias.kind,
                        "valid_from": alias.valid_from,
                        "valid_to": alias.valid_to,
                    }
                    for alias in actor.aliases
                ],
            )
    for topic in lexicon.topics:
        conn.execute(
            q("upsert_topic"),
            {
                "id": topic.id,
                "title": topic.title,
                "description": topic.description,
                "direction": topic.direction,
            },
        )


def list_actors(conn: Connection) -> list[dict[str, Any]]:
    return conn.execute(q("list_actors")).fetchall()


def list_topics(conn: Connection) -> list[dict[str, Any]]:
    return conn.execute(q("list_topics")).fetchall()
