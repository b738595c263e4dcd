"""Alembic environment: always run with a connection handed in by igfcoach.store.migrate."""

from alembic import context

from igfcoach.store.models import Base

config = context.config
target_metadata = Base.metadata

connection = config.attributes.get("connection")
if connection is None:
    from igfcoach.store.db import make_engine
    from pathlib import Path

    url = config.get_main_option("sqlalchemy.url")
    engine = make_engine(Path(url.removeprefix("sqlite:///")))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
