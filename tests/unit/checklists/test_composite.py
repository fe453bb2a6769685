"""Composite scores (seed 002): weights, bands and the team bonus on the composite, band gaps."""
import pytest

from checklists.composite import Block, CompositeBand, CompositePlan, composite
from checklists.composite_plans import SEED_002
from checklists.model import Label

L = Label(zh="x", en="x")
# A programme of three blocks: customer service 25% (seed 002), the others as a plan declares.
PLAN = CompositePlan(
    id="three", title=L,
    blocks=(Block("cs", "cs-supervision", 0.25, Label(zh="客户服务", en="Customer service")),
            Block("fac", "facilities-supervision", 0.35, Label(zh="设施设备", en="Facilities")),
            Block("env", "environment", 0.40, Label(zh="环境", en="Environment"))),
    bands=SEED_002.bands, marks=SEED_002.marks)


def test_customer_service_at_89_with_other_blocks_by_hand():
    got = composite(PLAN, {"cs": 89, "fac": 95, "env": 92})
    # 0.25 * 89 + 0.35 * 95 + 0.40 * 92 = 22.25 + 33.25 + 36.8 = 92.3
    assert got.percent == 92.3
    assert got.band.id == "excellent"   # the composite's band, though the cs block alone is 良好
    assert got.marks == () and got.complete
    assert [b["contribution"] for b in got.blocks] == [22.25, 33.25, 36.8]
    assert "客户服务: 89 分 × 权重 0.25 = 22.25" in got.explanation["zh"]
    assert "优秀: 项目经理奖励1000元, 分管副经理800元, 部门主任/副主任600元" in got.explanation["zh"]


def test_the_team_bonus_goes_by_the_composite_not_a_block():
    with_bonus = composite(PLAN, {"cs": 89, "fac": 99, "env": 100})
    # 22.25 + 34.65 + 40 = 96.9: the team bonus, with the cs block at 89
    assert with_bonus.percent == 96.9 and [m.id for m in with_bonus.marks] == ["team_bonus"]
    without = composite(PLAN, {"cs": 100, "fac": 100, "env": 90})
    # 25 + 35 + 36 = 96 -> reached exactly; then one block lower
    assert without.percent == 96.0 and [m.id for m in without.marks] == ["team_bonus"]
    below = composite(PLAN, {"cs": 100, "fac": 98, "env": 90})
    # 25 + 34.3 + 36 = 95.3: two blocks at 96 or more, no team bonus
    assert below.percent == 95.3 and below.marks == ()
    assert "未达 团队奖励(≥96分) (96分, 按综合得分计)。" in below.explanation["zh"]


@pytest.mark.parametrize("cs, fac, percent, band, gap_words", [
    (89, 90.8, 90.35, "good", "90.35 分处于 良好(90分) 与 优秀(91分起) 之间"),  # 22.25 + 68.1
    (79, 79.8, 79.6, "fail", "79.6 分处于 不及格(79分) 与 良好(80分起) 之间"),   # 19.75 + 59.85
    (80, 80, 80.0, "good", None),
    (91, 91, 91.0, "excellent", None),
])
def test_band_gaps_get_the_lower_band_and_say_so(cs, fac, percent, band, gap_words):
    got = composite(SEED_002, {"customer_service": cs, "facilities": fac})
    assert got.percent == percent and got.band.id == band
    gap_lines = [line for line in got.explanation["zh"] if "之间" in line]
    if gap_words is None:
        assert gap_lines == []
    else:
        assert gap_lines[0].startswith(gap_words) and "按较低档" in gap_lines[0]
        assert any("gets the lower band" in line for line in got.explanation["en"])


def test_a_missing_block_is_left_out_and_the_composite_marked_incomplete():
    got = composite(PLAN, {"cs": 89, "fac": 95})
    # (0.25 * 89 + 0.35 * 95) / 0.60 = 55.5 / 0.6 = 92.5
    assert got.percent == 92.5 and not got.complete
    assert got.blocks[2]["percent"] is None
    assert any("本月无评分结果" in line for line in got.explanation["zh"])
    assert composite(PLAN, {}).percent is None


def test_plan_weights_must_add_up_to_one():
    with pytest.raises(ValueError, match="add up to"):
        CompositePlan("bad", L, (Block("a", "a", 0.25, L), Block("b", "b", 0.5, L)),
                      SEED_002.bands)
