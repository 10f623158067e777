"""The tables of accord's store, one schema for SQLite and PostgreSQL.

This is the schema as the newest migration leaves it; ``migrations.py``
builds it step by step and records each step in ``schema_migrations``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations", metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(80), primary_key=True),  # sha256:<hex> of the content bytes
    Column("source", Text, nullable=False),
    Column("path", Text),
    Column("url", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
)
Index("ix_documents_first_seen", documents.c.first_seen)

articles = Table(
    "articles", metadata,
    Column("id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("outlet", Text),
    Column("credit", Text),
    Column("title", Text),
    Column("published", String(40)),
    Column("published_precision", String(10)),
    Column("dateline_name", Text),
    Column("dateline_country", String(3)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("copy_of", String(80)),  # the first report of the group of near-duplicates it belongs to
    Column("minhash", LargeBinary),  # datasketch LeanMinHash bytes, with their scheme
    Column("source_name", Text),  # credit, else outlet, else web host, else file name: who said it
)

# Every time a document was seen, with what that sighting said about it: the
# same text from another URL, outlet or time is kept here, not dropped.
sightings = Table(
    "sightings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("outlet", Text, nullable=False, default=""),
    Column("published", String(40), nullable=False, default=""),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("document_id", "source", "url", name="uq_sighting"),
)

actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # country, person, org
    Column("name", Text, nullable=False),
    Column("country", String(40)),
    Column("sector", String(8)),
    Column("role", Text),
    UniqueConstraint("kind", "name", "country", name="uq_actor"),
)

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(16), nullable=False),
    Column("mode", String(32), nullable=False, default=""),
    Column("countries", Text, nullable=False),  # "AZE,VNM", sorted
    Column("relation_level", Text),
    Column("date", String(10)),
    Column("first_published", String(40)),
    Column("first_article_id", String(80)),
    Column("article_count", Integer, nullable=False, default=0),
    Column("source_count", Integer, nullable=False, default=0),
)
Index("ix_stories_countries", stories.c.countries)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(80), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(16), nullable=False),
    Column("mode", String(32), nullable=False, default=""),
    Column("context", Text, nullable=False, default=""),
    Column("cameo", String(8), nullable=False, default=""),
    Column("countries", Text, nullable=False, default=""),
    Column("date", String(10)),
    Column("date_precision", String(10)),
    Column("date_end", String(10)),
    Column("date_source", String(12)),  # stated, dateline, published, or null
    Column("date_reason", String(20)),
    Column("place_name", Text),
    Column("place_country", String(3)),
    Column("relation_level", Text),
    Column("negated", Boolean, nullable=False, default=False),
    Column("future", Boolean, nullable=False, default=False),
    Column("hypothetical", Boolean, nullable=False, default=False),
    Column("trigger", Text),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    UniqueConstraint("article_id", "seq", name="uq_event_seq"),
)
Index("ix_events_type_date", events.c.type, events.c.date)
Index("ix_events_story", events.c.story_id)
Index("ix_events_countries", events.c.countries)
Index("ix_events_article", events.c.article_id)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(8), primary_key=True),  # source, target
    Column("position", Integer, primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id"), nullable=False),
)
Index("ix_event_actors_actor", event_actors.c.actor_id)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

commitments = Table(
    "commitments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(80), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="SET NULL")),
    Column("sector", String(40), nullable=False),
    Column("parties", Text, nullable=False),  # "AZE,VNM"
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    UniqueConstraint("article_id", "seq", name="uq_commitment_seq"),
)
Index("ix_commitments_parties", commitments.c.parties)

# Which country-set keys (",AZE,VNM,") of events, stories and commitments hold
# a country: "events of VNM" is then an index look-up (events.countries IN
# the keys of VNM), not a LIKE '%,VNM,%' scan of every row.
country_sets = Table(
    "country_sets", metadata,
    Column("country", String(32), primary_key=True),
    Column("countries", Text, primary_key=True),
)

relation_levels = Table(
    "relation_levels", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("country_a", String(3), nullable=False),
    Column("country_b", String(3), nullable=False),
    Column("level", Text, nullable=False),
    Column("since", String(10)),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE")),
    UniqueConstraint("country_a", "country_b", "level", "since", name="uq_relation_level"),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("document_id", String(80)),
    Column("at", DateTime(timezone=True), nullable=False),
    # The file's absolute path (or the URL) where ``source`` is a spelling
    # of one: a document nothing was read from is known by it.
    Column("location", Text),
    UniqueConstraint("source", "stage", "reason", name="uq_failure"),
)
Index("ix_failures_document", failures.c.document_id)
Index("ix_failures_location", failures.c.location)
