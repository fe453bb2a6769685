"""An index ordering each site's results by score, for the results list sorted by score.

WHY: sorted by score, a site's page read and sorted every row of the site
(0.8 s for one site of 50k results at 1M, ``bench/web.py``). The expression
is the repository's sort key exactly (``SORTS["score"]``: unscored last).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SCORE_KEY = "coalesce(score, -1.0)"


def upgrade() -> None:
    op.create_index("ix_fs_results_site_score", "fs_results",
                    ["site_id", sa.text(SCORE_KEY), "id"])


def downgrade() -> None:
    op.drop_index("ix_fs_results_site_score", "fs_results")
