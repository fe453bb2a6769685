"""Monthly result totals per site, checklist and band, built from fs_results.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from server.store.result_totals import rebuild

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "fs_result_totals",
        sa.Column("site_id", Key, nullable=False),
        sa.Column("month", Key, nullable=False),
        sa.Column("definition_id", Key, nullable=False),
        sa.Column("band", Key, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.Column("scored", sa.BigInteger, nullable=False),
        sa.Column("score_sum", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("site_id", "month", "definition_id", "band", "current",
                                name="pk_fs_result_totals"))
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("fs_result_totals")
