"""Documents, their change feed and generic index entries.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "fs_meta",
        sa.Column("singleton", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("epoch", sa.Text, nullable=False),
        sa.Column("horizon", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("singleton", name="pk_fs_meta"))
    op.create_table(
        "fs_docs",
        sa.Column("collection", Key, nullable=False),
        sa.Column("id", Key, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("bucket", Key),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text),
        sa.PrimaryKeyConstraint("collection", "id", name="pk_fs_docs"),
        sa.UniqueConstraint("seq", name="uq_fs_docs_seq"))
    op.create_index("ix_fs_docs_feed", "fs_docs", ["bucket", "seq"],
                    sqlite_where=sa.text("bucket IS NOT NULL"),
                    postgresql_where=sa.text("bucket IS NOT NULL"))
    op.create_index("ix_fs_docs_tombstones", "fs_docs", ["seq"],
                    sqlite_where=sa.text("deleted"), postgresql_where=sa.text("deleted"))
    op.create_table(
        "fs_index",
        sa.Column("collection", Key, nullable=False),
        sa.Column("name", Key, nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("sort", sa.LargeBinary, nullable=False),
        sa.Column("id", Key, nullable=False),
        sa.PrimaryKeyConstraint("collection", "name", "key", "sort", "id", name="pk_fs_index"))
    op.create_index("ix_fs_index_record", "fs_index", ["collection", "id"])


def downgrade() -> None:
    op.drop_table("fs_index")
    op.drop_table("fs_docs")
    op.drop_table("fs_meta")
