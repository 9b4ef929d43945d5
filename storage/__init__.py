"""cusdev storage: SQLModel tables, repositories and Alembic migrations."""
