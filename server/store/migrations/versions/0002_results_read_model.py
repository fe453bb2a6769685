"""Results' typed query columns, built from the stored documents (no seq changes).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from server.store.read_models import reindex

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "fs_results",
        sa.Column("id", Key, nullable=False),
        sa.Column("site_id", Key, nullable=False),
        sa.Column("definition_id", Key, nullable=False),
        sa.Column("definition_version", sa.Integer, nullable=False),
        sa.Column("submitted_at", Key, nullable=False),
        sa.Column("month", Key, nullable=False),
        sa.Column("inspector", Key, nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("percent", sa.Float),
        sa.Column("band", Key),
        sa.Column("review_state", Key, nullable=False),
        sa.Column("flagged", sa.Boolean, nullable=False),
        sa.Column("media", Key, nullable=False),
        sa.Column("root_id", Key, nullable=False),
        sa.Column("current", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fs_results"))
    for name, columns in {
            "ix_fs_results_site_time": ["site_id", "submitted_at", "id"],
            "ix_fs_results_site_band_time": ["site_id", "band", "submitted_at", "id"],
            "ix_fs_results_site_month": ["site_id", "month"],
            "ix_fs_results_inspector_time": ["inspector", "submitted_at", "id"],
            "ix_fs_results_definition_time": ["definition_id", "submitted_at", "id"],
            "ix_fs_results_time": ["submitted_at", "id"]}.items():
        op.create_index(name, "fs_results", columns)
    reindex(op.get_bind(), "results")


def downgrade() -> None:
    op.drop_table("fs_results")
