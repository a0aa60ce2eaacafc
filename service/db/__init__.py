"""The only layer that talks to PostgreSQL. Every function takes a connection
first, so the same code serves requests, scheduler jobs and CLI commands."""
