"""A throw-away PostgreSQL database for a benchmark run (None, with the reason printed, when unreachable)."""

from __future__ import annotations

import uuid


def postgres_database(base_url: str) -> tuple[str, str] | None:
    """Create a fresh database next to `base_url`; its URL and name, or None when PostgreSQL is unreachable."""
    try:
        import psycopg

        name = f"cusdev_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base_url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"{base_url.rpartition('/')[0]}/{name}", name
    except Exception as exc:  # report and carry on with SQLite only
        print(f"PostgreSQL skipped: {base_url} unreachable ({exc})")
        return None
